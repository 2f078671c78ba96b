export * from './dates';
export * from './mailer.service';
export * from './message-id';
export * from './notification-context';
export * from './notification-renderer';
export * from './notifications.module';
export * from './notifications.service';
export * from './recipient-directory';
