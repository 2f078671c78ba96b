import { PersistenceModule } from '@app/persistence';
import { Module } from '@nestjs/common';
import { ChangeFeedController } from './change-feed.controller';
import { ChangeFeedService } from './change-feed.service';
import { ChangeFeedStreams } from './change-feed-streams';

@Module({
  imports: [PersistenceModule],
  controllers: [ChangeFeedController],
  providers: [ChangeFeedService, ChangeFeedStreams],
})
export class EventsModule {}
