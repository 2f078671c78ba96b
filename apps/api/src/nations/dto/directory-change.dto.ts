import { LANGUAGES, NATION_CODES, ROLES, type Language, type NationCode, type Role } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DirectorDto } from './nation.dto';

/** Who made a change: the same shape as an event's actor in a recommendation's audit trail. */
class ChangeActorDto {
  @ApiProperty({ description: "The token's subject", example: 'sec-anna' })
  id!: string;

  @ApiPropertyOptional({ example: 'Anna Secretariat' })
  name?: string;

  @ApiProperty({ enum: ROLES, description: 'The role the change was made in' })
  role!: Role;

  @ApiPropertyOptional({ enum: NATION_CODES, description: "The caller's own nation, if the token has one" })
  nation?: NationCode;

  @ApiPropertyOptional({ enum: NATION_CODES, description: 'Set when the secretariat acted for a nation' })
  onBehalfOf?: NationCode;
}

/** The director's contact as a change records it: the directory's, with the language of correspondence. */
class DirectorContactDto extends DirectorDto {
  @ApiProperty({ enum: LANGUAGES })
  language!: Language;
}

/** The OpenAPI shape of a `DirectoryChange`. */
export class DirectoryChangeDto {
  @ApiProperty({ description: "The change's id (a bigserial, as a string)", example: '42' })
  id!: string;

  @ApiProperty({ enum: NATION_CODES })
  nation!: NationCode;

  @ApiProperty({ type: ChangeActorDto })
  actor!: ChangeActorDto;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: DirectorContactDto, description: 'The director contact before the change' })
  before!: DirectorContactDto;

  @ApiProperty({ type: DirectorContactDto, description: 'The director contact after the change' })
  after!: DirectorContactDto;
}
