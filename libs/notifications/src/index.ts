export * from './dates';
export * from './message-id';
export * from './notification-context';
export * from './notification-renderer';
