import { Module } from '@nestjs/common';
import { PersistenceModule } from '@app/persistence';
import { RecommendationsController } from './recommendations.controller';
import { RecommendationsService } from './recommendations.service';

@Module({ imports: [PersistenceModule], controllers: [RecommendationsController], providers: [RecommendationsService] })
export class RecommendationsModule {}
