export * from './format';
export * from './rate-chart';
export * from './overview-chart';
