export * from './connection-options';
export * from './temporal-client.module';
export * from './temporal-client.provider';
export * from './lifecycle-client';
export * from './digest-schedule';
export * from './webhook-loops';
