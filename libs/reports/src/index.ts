export * from './format';
export * from './rate-chart';
export * from './overview-chart';
export * from './board-report';
