import { WORKING_GROUPS, type Language, type NationCode } from '@app/domain';
import type { NationRecord, WgMemberEmails } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';
import { ENUMS, instant } from '../../openapi/schemas';

class NationNameDto {
  @ApiProperty({ type: String, example: 'France' })
  en!: string;

  @ApiProperty({ type: String, example: 'France' })
  fr!: string;
}

/** A director's contact as the directory holds it. */
export class DirectorDto {
  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ type: String, format: 'email' })
  email!: string;

  @ApiProperty({ type: String, format: 'email', nullable: true })
  alternateEmail!: string | null;
}

const emails = { type: 'array' as const, items: { type: 'string' as const, format: 'email' } };

/** The OpenAPI shape of a `NationRecord`. */
export class NationDto implements NationRecord {
  @ApiProperty(ENUMS.nation)
  code!: NationCode;

  @ApiProperty({ type: () => NationNameDto })
  name!: NationNameDto;

  @ApiProperty({ ...ENUMS.language, description: "The director's language of correspondence" })
  language!: Language;

  @ApiProperty({ type: () => DirectorDto })
  director!: DirectorDto;

  @ApiProperty({ type: String, format: 'email', nullable: true })
  seniorRepEmail!: string | null;

  @ApiProperty({
    type: 'object',
    description: 'WG delegates by working group',
    properties: Object.fromEntries(WORKING_GROUPS.map((wg) => [wg, emails])),
    example: { IC: ['wg-ic.fra@mod.example'] },
  })
  wgMemberEmails!: WgMemberEmails;

  @ApiProperty(instant())
  updatedAt!: string;
}
