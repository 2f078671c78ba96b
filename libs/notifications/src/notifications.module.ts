import { Module } from '@nestjs/common';
import { PersistenceModule } from '@app/persistence';
import { MailerService } from './mailer.service';
import { NotificationsService } from './notifications.service';

/** Mail transport and delivery through the outbox (PersistenceModule). Needs `APP_CONFIG` (the global ConfigModule). */
@Module({
  imports: [PersistenceModule],
  providers: [MailerService, NotificationsService],
  exports: [MailerService, NotificationsService],
})
export class NotificationsModule {}
