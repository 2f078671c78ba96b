import type { CalendarChange } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { ActorRefDto } from '../../auth/actor-ref.dto';
import { instant } from '../../openapi/schemas';
import type { ClosedDay, ClosedDaySource } from '../closed-days';

const DATE = { type: String, format: 'date', example: '2027-12-27' } as const;

/** A day NATO HQ is closed, other than a weekend. */
export class ClosedDayDto implements ClosedDay {
  @ApiProperty(DATE) date!: string;
  @ApiProperty({ type: String, example: 'NATO HQ end-of-year closure' }) reason!: string;
  @ApiProperty({
    type: String,
    enum: ['belgian-public-holiday', 'nato-hq-closure'],
    enumName: 'ClosedDaySource',
    description:
      'Belgian public holidays come from the date-holidays library (region BE); NATO HQ closure days are kept by the secretariat',
  })
  source!: ClosedDaySource;
}

/** One year of NATO HQ's working calendar: weekends are closed by rule, the other closed days are listed. */
export class CalendarYearDto {
  @ApiProperty({ type: Number, format: 'int32', example: 2027 }) year!: number;
  @ApiProperty({
    type: String,
    description: "NATO HQ's time zone, in which deadlines are placed",
    example: 'Europe/Brussels',
  })
  zone!: string;
  @ApiProperty({ type: String, description: 'Working hours begin (local time)', example: '09:00' }) opens!: string;
  @ApiProperty({
    type: String,
    description: 'Working hours end (local time): a deadline moved to a working day is placed at this time',
    example: '17:30',
  })
  closes!: string;
  @ApiProperty({ type: () => ClosedDayDto, isArray: true, description: 'By date' }) closedDays!: ClosedDayDto[];
}

/** Makes a day one of NATO HQ's closure days. */
export class SetClosureDayDto {
  @ApiProperty({ type: String, maxLength: 200, example: 'NATO HQ end-of-year closure' })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(200)
  reason!: string;
}

/** One change of a closure day, with who made it. */
export class CalendarChangeDto implements CalendarChange {
  @ApiProperty({ type: String, description: "The change's id (a bigserial, as a string)", example: '7' }) id!: string;
  @ApiProperty(DATE) date!: string;
  @ApiProperty({ type: () => ActorRefDto, description: 'Who made the change' }) actor!: ActorRefDto;
  @ApiProperty(instant()) at!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The reason before (null: the day was open)' })
  before!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The reason after (null: the day was opened again)' })
  after!: string | null;
}
