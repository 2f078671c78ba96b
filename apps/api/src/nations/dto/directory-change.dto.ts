import type { Language, NationCode } from '@app/domain';
import type { ContactKey, DirectoryChange } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';
import { ActorRefDto } from '../../auth/actor-ref.dto';
import { ENUMS, instant } from '../../openapi/schemas';
import { DirectorDto } from './nation.dto';

/** A contact as a change records it: the directory's, with the nation's language of correspondence. */
class DirectorContactDto extends DirectorDto {
  @ApiProperty(ENUMS.language)
  language!: Language;
}

export const CONTACT_KEYS = [
  'director',
  'senior-rep',
  'wg-delegate:IC',
  'wg-delegate:SCS',
  'wg-delegate:SI',
] as const satisfies readonly ContactKey[];

/** The OpenAPI shape of a `DirectoryChange`. */
export class DirectoryChangeDto implements DirectoryChange {
  @ApiProperty({ type: String, description: "The change's id (a bigserial, as a string)", example: '42' })
  id!: string;

  @ApiProperty(ENUMS.nation)
  nation!: NationCode;

  @ApiProperty({ enum: CONTACT_KEYS, enumName: 'ContactKey', description: 'Which contact of the nation changed' })
  contact!: ContactKey;

  @ApiProperty({
    type: () => ActorRefDto,
    description: 'Who made the change, in the shape of an event actor in the audit trail',
  })
  actor!: ActorRefDto;

  @ApiProperty(instant())
  at!: string;

  @ApiProperty({
    type: () => DirectorContactDto,
    nullable: true,
    description: 'The contact before the change (null: the nation had none)',
  })
  before!: DirectorContactDto | null;

  @ApiProperty({ type: () => DirectorContactDto, description: 'The contact after the change' })
  after!: DirectorContactDto;
}

/** What a directory import did. */
export class DirectoryImportDto {
  @ApiProperty({ type: Number, description: 'Lines that changed a contact' })
  changed!: number;

  @ApiProperty({ type: Number, description: 'Lines that matched the directory already (recorded as confirmed)' })
  unchanged!: number;
}
