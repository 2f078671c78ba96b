import { Module } from '@nestjs/common';
import { PersistenceModule } from '@app/persistence';
import { CalendarModule } from '../calendar/calendar.module';
import { RecommendationsController } from './recommendations.controller';
import { RecommendationsService } from './recommendations.service';
import { RepairsController } from './repairs.controller';

@Module({
  imports: [PersistenceModule, CalendarModule],
  controllers: [RecommendationsController, RepairsController],
  providers: [RecommendationsService],
})
export class RecommendationsModule {}
