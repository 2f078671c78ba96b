export * from './destinations';
export * from './envelope';
export * from './sender';
export * from './signing';
export * from './disabled-notice';
