import { Body, Controller, Delete, Get, Injectable, Param, Put, type PipeTransform } from '@nestjs/common';
import { actorAs, isIsoDate, type Actor } from '@app/domain';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiRead, ApiWrite } from '../openapi/operations';
import { ProblemException } from '../problem/problem';
import { CalendarChangeDto, CalendarYearDto, SetClosureDayDto } from './dto/calendar.dto';
import { HQ } from './closed-days';
import { WorkingCalendarService } from './working-calendar.service';

const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/** A year the calendar can speak of; anything else cannot exist, so 404. */
@Injectable()
class YearPipe implements PipeTransform<string | number, number> {
  // The global ValidationPipe may already have turned the segment into a number (the parameter is typed number).
  transform(value: string | number): number {
    const text = String(value);
    const year = /^\d{4}$/.test(text) ? Number(text) : NaN;
    if (!(year >= FIRST_YEAR && year <= LAST_YEAR))
      throw new ProblemException(404, `no calendar year ${text.slice(0, 10)} (years ${FIRST_YEAR} to ${LAST_YEAR})`);
    return year;
  }
}

/** A calendar date (YYYY-MM-DD) that exists, within the calendar's years; anything else is a 404. */
@Injectable()
class DatePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const year = Number(value.slice(0, 4));
    if (!isIsoDate(value) || year < FIRST_YEAR || year > LAST_YEAR)
      throw new ProblemException(
        404,
        `no date ${value.slice(0, 20)} (dates are YYYY-MM-DD, ${FIRST_YEAR} to ${LAST_YEAR})`,
      );
    return value;
  }
}

const YEAR = { name: 'year', schema: { type: 'integer', minimum: FIRST_YEAR, maximum: LAST_YEAR, example: 2027 } };
const DATE = {
  name: 'date',
  description: 'A calendar date',
  schema: { type: 'string', format: 'date', example: '2027-12-27' },
};

/**
 * NATO HQ's working calendar: the closed days deadlines are moved off (weekends, Belgian public
 * holidays, NATO HQ's closure days). The secretariat keeps the closure days; each change is recorded
 * with who made it. A recommendation pins the calendar when it is raised, as it pins its policy.
 */
@ApiTags('calendar')
@Controller('api/v1/calendar')
export class CalendarController {
  constructor(private readonly calendar: WorkingCalendarService) {}

  @Get('changes')
  @Roles('secretariat')
  @ApiRead({
    summary: 'Every change of the closure days, newest first, with who made it',
    type: CalendarChangeDto,
    isArray: true,
    description: 'The trail (append-only)',
    problems: [403],
  })
  changes(): Promise<CalendarChangeDto[]> {
    return this.calendar.changes();
  }

  @Get(':year')
  @ApiParam(YEAR)
  @ApiRead({
    summary: "One year of NATO HQ's working calendar",
    type: CalendarYearDto,
    description: 'The working hours and the closed days other than weekends',
    problems: [404],
  })
  year(@Param('year', YearPipe) year: number): Promise<CalendarYearDto> {
    return this.answer(year);
  }

  @Put('closure-days/:date')
  @Roles('secretariat')
  @ApiParam(DATE)
  @ApiWrite({
    summary: 'Make a day one of NATO HQ closure days (or change its reason)',
    type: CalendarYearDto,
    description:
      "The day's year as it now stands. Recommendations raised from now on place their deadlines on it; those already raised keep the calendar they were raised with",
    problems: [400, 401, 403, 404, 413, 429, 503],
  })
  async set(
    @Param('date', DatePipe) date: string,
    @Body() body: SetClosureDayDto,
    @CurrentActor() actor: Actor,
  ): Promise<CalendarYearDto> {
    await this.calendar.setClosureDay(date, body.reason.trim(), actorAs(actor, 'secretariat'));
    return this.answer(Number(date.slice(0, 4)));
  }

  @Delete('closure-days/:date')
  @Roles('secretariat')
  @ApiParam(DATE)
  @ApiWrite({
    summary: 'Open a NATO HQ closure day again',
    type: CalendarYearDto,
    description: "The day's year as it now stands (404 when the day was not a closure day)",
    problems: [401, 403, 404, 429, 503],
  })
  async remove(@Param('date', DatePipe) date: string, @CurrentActor() actor: Actor): Promise<CalendarYearDto> {
    if (!(await this.calendar.removeClosureDay(date, actorAs(actor, 'secretariat'))))
      throw new ProblemException(
        404,
        `${date} is not a NATO HQ closure day (Belgian public holidays cannot be opened)`,
      );
    return this.answer(Number(date.slice(0, 4)));
  }

  private async answer(year: number): Promise<CalendarYearDto> {
    return { year, ...HQ, closedDays: await this.calendar.year(year) };
  }
}
