import { LANGUAGES, NATION_CODES, ROLES, type Language, type NationCode, type Role } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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

class DirectorContactDto {
  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ type: String, format: 'email', nullable: true })
  alternateEmail!: string | null;

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
