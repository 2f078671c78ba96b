import type { Language, NationCode } from '@app/domain';
import type { DirectoryChange } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';
import { ActorRefDto } from '../../auth/actor-ref.dto';
import { ENUMS, instant } from '../../openapi/schemas';
import { DirectorDto } from './nation.dto';

/** The director's contact as a change records it: the directory's, with the language of correspondence. */
class DirectorContactDto extends DirectorDto {
  @ApiProperty(ENUMS.language)
  language!: Language;
}

/** The OpenAPI shape of a `DirectoryChange`. */
export class DirectoryChangeDto implements DirectoryChange {
  @ApiProperty({ type: String, description: "The change's id (a bigserial, as a string)", example: '42' })
  id!: string;

  @ApiProperty(ENUMS.nation)
  nation!: NationCode;

  @ApiProperty({ type: () => ActorRefDto, description: 'Who made the change, in the shape of an event actor in the audit trail' })
  actor!: ActorRefDto;

  @ApiProperty(instant())
  at!: string;

  @ApiProperty({ type: () => DirectorContactDto, description: 'The director contact before the change' })
  before!: DirectorContactDto;

  @ApiProperty({ type: () => DirectorContactDto, description: 'The director contact after the change' })
  after!: DirectorContactDto;
}
