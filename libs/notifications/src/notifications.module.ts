import { Module } from '@nestjs/common';
import { MailerService } from './mailer.service';
import { NotificationsService } from './notifications.service';

/**
 * Mail transport and the outbox. Needs `APP_CONFIG` (the global ConfigModule) and a TypeORM
 * `DataSource` (TypeOrmModule.forRoot*, e.g. through PersistenceModule) in the importing app.
 */
@Module({
  providers: [MailerService, NotificationsService],
  exports: [MailerService, NotificationsService],
})
export class NotificationsModule {}
