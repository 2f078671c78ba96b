import { WORKING_GROUPS, type Language, type NationCode } from '@app/domain';
import type { NationRecord, WgDelegates, WgMemberEmails } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';
import { ENUMS, instant } from '../../openapi/schemas';

class NationNameDto {
  @ApiProperty({ type: String, example: 'France' })
  en!: string;

  @ApiProperty({ type: String, example: 'France' })
  fr!: string;
}

/** A person's contact as the directory holds it (a director, a senior representative, a WG delegate). */
export class DirectorDto {
  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ type: String, format: 'email' })
  email!: string;

  @ApiProperty({ type: String, format: 'email', nullable: true, description: 'Written to when the address is refused' })
  alternateEmail!: string | null;
}

const emails = { type: 'array' as const, items: { type: 'string' as const, format: 'email' } };
const contact = {
  type: 'object' as const,
  required: ['name', 'email', 'alternateEmail'],
  properties: {
    name: { type: 'string' as const, nullable: true },
    email: { type: 'string' as const, format: 'email' },
    alternateEmail: { type: 'string' as const, format: 'email', nullable: true },
  },
};

/** The OpenAPI shape of a `NationRecord`. */
export class NationDto implements NationRecord {
  @ApiProperty(ENUMS.nation)
  code!: NationCode;

  @ApiProperty({ type: () => NationNameDto })
  name!: NationNameDto;

  @ApiProperty({
    ...ENUMS.language,
    description: "The nation's language of correspondence (its director's and its delegates')",
  })
  language!: Language;

  @ApiProperty({ type: () => DirectorDto })
  director!: DirectorDto;

  @ApiProperty({ type: () => DirectorDto, nullable: true, description: 'The senior national representative' })
  seniorRep!: DirectorDto | null;

  @ApiProperty({
    type: 'object',
    description: "The nation's delegate in each working group",
    properties: Object.fromEntries(WORKING_GROUPS.map((wg) => [wg, contact])),
    example: { IC: { name: 'Jean Martin', email: 'wg-ic.fra@mod.example', alternateEmail: null } },
  })
  wgDelegates!: WgDelegates;

  @ApiProperty({
    type: String,
    format: 'email',
    nullable: true,
    description: "The senior representative's address (`seniorRep.email`), kept for existing clients",
  })
  seniorRepEmail!: string | null;

  @ApiProperty({
    type: String,
    description:
      "Where the nation's people read their mail (IANA zone): reminders, overdue notices and escalations wait for working hours there",
    example: 'Europe/Paris',
  })
  timeZone!: string;

  @ApiProperty({
    type: 'object',
    description:
      'WG delegates’ addresses by working group, delegate then alternate (from `wgDelegates`), kept for existing clients',
    properties: Object.fromEntries(WORKING_GROUPS.map((wg) => [wg, emails])),
    example: { IC: ['wg-ic.fra@mod.example'] },
  })
  wgMemberEmails!: WgMemberEmails;

  @ApiProperty(instant())
  updatedAt!: string;
}
