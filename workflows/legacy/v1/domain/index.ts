// FROZEN: the v1 domain, as the v1 lifecycle ran it (see ../recommendation-lifecycle.v1.ts).
export * from './actor';
export * from './allies';
export * from './commands';
export * from './events';
export * from './notification';
export * from './policy';
export * from './recommendation';
export * from './schedule';
export * from './time';
export * from './view';
export * from './repairs';
export * from './due-summary';
