export * from './format';
export * from './rate-chart';
