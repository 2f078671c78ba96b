import { ConfigError, parseConfig } from './config.schema';

const base = { JWT_SECRET: 'x'.repeat(32) };

describe('parseConfig', () => {
  it('sizes the database pool above the SMTP pool by default', () => {
    const config = parseConfig(base);
    expect(config.SMTP_POOL_SIZE).toBe(10);
    expect(config.DATABASE_POOL_SIZE).toBe(20);
  });

  it('refuses a database pool no larger than the SMTP pool, naming both', () => {
    let error: unknown;
    try {
      parseConfig({ ...base, SMTP_POOL_SIZE: '12', DATABASE_POOL_SIZE: '12' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^DATABASE_POOL_SIZE: must exceed SMTP_POOL_SIZE \(12\)/),
    ]);
  });

  it('accepts pools sized for a larger burst', () => {
    const config = parseConfig({ ...base, SMTP_POOL_SIZE: '24', DATABASE_POOL_SIZE: '40' });
    expect([config.SMTP_POOL_SIZE, config.DATABASE_POOL_SIZE]).toEqual([24, 40]);
  });

  it('refuses an SMTP pool of zero', () => {
    expect(() => parseConfig({ ...base, SMTP_POOL_SIZE: '0' })).toThrow(/SMTP_POOL_SIZE/);
  });
});
