export * from './activities';
export * from './definitions';
export * from './digest';
export * from './webhooks';
