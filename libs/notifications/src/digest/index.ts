export * from './digest-renderer';
export * from './digest-week';
export * from './digest-words';
