import { negotiate } from './reports.controller';

describe('overview content negotiation', () => {
  it.each([
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['text/html,application/xhtml+xml,*/*;q=0.8', 'application/json'],
    ['text/csv', 'text/csv'],
    ['application/json, text/csv', 'application/json'],
    ['application/json;q=0.5, text/csv', 'text/csv'],
    ['image/svg+xml', 'image/svg+xml'],
    ['image/svg+xml;q=0.9, application/json;q=0.8', 'image/svg+xml'],
    ['image/svg+xml;q=0, application/json', 'application/json'],
    ['image/png', 'application/json'],
  ])('Accept: %s → %s', (accept, type) => {
    expect(negotiate(accept)).toBe(type);
  });
});
