import { Module } from '@nestjs/common';
import { ActionLinks } from '@app/notifications/links/action-links';
import { PersistenceModule } from '@app/persistence';
import { TemporalClientModule } from '@app/temporal/client';
import { LinksController } from './links.controller';
import { LinksService } from './links.service';

/** The pages of the personal links in messages. */
@Module({
  imports: [PersistenceModule, TemporalClientModule],
  controllers: [LinksController],
  providers: [ActionLinks, LinksService],
  // The rate limit keys a link page's caller by its link (CallerThrottlerGuard).
  exports: [ActionLinks],
})
export class LinksModule {}
