import { PersistenceModule } from '@app/persistence';
import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller';
import { WorkingCalendarService } from './working-calendar.service';

@Module({
  imports: [PersistenceModule],
  controllers: [CalendarController],
  providers: [WorkingCalendarService],
  exports: [WorkingCalendarService],
})
export class CalendarModule {}
