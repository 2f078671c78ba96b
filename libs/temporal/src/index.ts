export * from './activities';
export * from './definitions';
