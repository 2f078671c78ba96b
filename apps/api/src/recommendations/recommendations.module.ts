import { Module } from '@nestjs/common';
import { PersistenceModule } from '@app/persistence';
import { RecommendationsController } from './recommendations.controller';
import { RecommendationsService } from './recommendations.service';
import { RepairsController } from './repairs.controller';

@Module({
  imports: [PersistenceModule],
  controllers: [RecommendationsController, RepairsController],
  providers: [RecommendationsService],
})
export class RecommendationsModule {}
