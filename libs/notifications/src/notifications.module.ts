import { Module } from '@nestjs/common';
import { PersistenceModule } from '@app/persistence';
import { ActionLinks } from './links/action-links';
import { CalendarEntries } from './links/calendar-entries';
import { MailerService } from './mailer.service';
import { NotificationsService } from './notifications.service';

/** Mail transport and delivery through the outbox (PersistenceModule). Needs `APP_CONFIG` (the global ConfigModule). */
@Module({
  imports: [PersistenceModule],
  providers: [MailerService, NotificationsService, ActionLinks, CalendarEntries],
  exports: [MailerService, NotificationsService, ActionLinks, CalendarEntries],
})
export class NotificationsModule {}
