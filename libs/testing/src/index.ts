export * from './api';
export * from './maildev';
export * from './tokens';
export * from './wait';
export * from './worker';
export * from './paths';
export * from './replay';
