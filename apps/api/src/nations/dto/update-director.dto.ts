import { LANGUAGES, type Language } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** A senior representative's or WG delegate's contact. */
export class UpdateContactDto {
  @ApiProperty({ example: 'Jeanne Dupont', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'director.fra@mod.example', format: 'email' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiPropertyOptional({
    example: 'deputy.fra@mod.example',
    format: 'email',
    description: 'The deputy or alternate address, written to when the address is refused',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  alternateEmail?: string;
}

export class UpdateDirectorDto extends UpdateContactDto {
  @ApiProperty({ enum: LANGUAGES, description: 'Language of correspondence' })
  @IsIn(LANGUAGES)
  language!: Language;
}
