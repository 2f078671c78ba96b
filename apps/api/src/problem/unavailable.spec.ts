import { isDatabaseUnavailable } from './unavailable';

describe('isDatabaseUnavailable', () => {
  const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

  it.each([
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['terminated connection', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['server shutting down (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['connection exception class 08', withCode('connection failure', '08006')],
    ['wrapped by TypeORM', Object.assign(new Error('query failed'), { driverError: withCode('x', 'ECONNRESET') })],
    ['inside an AggregateError', new AggregateError([withCode('a', 'ECONNREFUSED')], 'all failed')],
  ])('sees %s as unavailable', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a syntax error', withCode('syntax error at or near', '42601')],
    ['a unique violation', withCode('duplicate key value', '23505')],
    ['a plain error', new Error('boom')],
    ['not an error', 'ECONNREFUSED'],
  ])('does not see %s as unavailable', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
