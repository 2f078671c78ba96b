import { LANGUAGES, NATION_CODES, type Language, type NationCode } from '@app/domain';
import { ApiProperty } from '@nestjs/swagger';

class NationNameDto {
  @ApiProperty({ example: 'France' })
  en!: string;

  @ApiProperty({ example: 'France' })
  fr!: string;
}

/** A director's contact as the directory holds it. */
export class DirectorDto {
  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ type: String, format: 'email', nullable: true })
  alternateEmail!: string | null;
}

/** The OpenAPI shape of a `NationRecord`. */
export class NationDto {
  @ApiProperty({ enum: NATION_CODES })
  code!: NationCode;

  @ApiProperty({ type: NationNameDto })
  name!: NationNameDto;

  @ApiProperty({ enum: LANGUAGES })
  language!: Language;

  @ApiProperty({ type: DirectorDto })
  director!: DirectorDto;

  @ApiProperty({ type: String, format: 'email', nullable: true })
  seniorRepEmail!: string | null;

  @ApiProperty({ description: 'WG delegates by working group', example: { IC: ['wg-ic.fra@mod.example'] } })
  wgMemberEmails!: Record<string, string[]>;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
