import fc from 'fast-check';
import { EVENT_TYPES } from './events';
import { durationMs } from './time';
import {
  checkEventTypes,
  cloudEventType,
  deliveredBy,
  selectedTypes,
  webhookGivenUp,
  webhookId,
  webhookRetryDelay,
  type WebhookRetryPolicy,
} from './webhooks';

const SECOND = 1_000;
const HOUR = 3_600_000;

/** The service's defaults: WEBHOOK_RETRY_INITIAL_MS, WEBHOOK_RETRY_MAX_MS, WEBHOOK_DISABLE_AFTER. */
const DEFAULTS: WebhookRetryPolicy = { initialMs: 5 * SECOND, maxMs: HOUR, disableAfterMs: durationMs('P5D') };

describe('checkEventTypes', () => {
  it('accepts known event types, one or several, and "*" alone', () => {
    expect(checkEventTypes(['raised'])).toEqual({ ok: true });
    expect(checkEventTypes(['raised', 'submitted', 'closed'])).toEqual({ ok: true });
    expect(checkEventTypes([...EVENT_TYPES])).toEqual({ ok: true });
    expect(checkEventTypes(['*'])).toEqual({ ok: true });
  });

  it('refuses an empty list', () => {
    expect(checkEventTypes([])).toEqual({ ok: false, message: 'name at least one event type, or "*" for all' });
  });

  it('names the unknown types (at most three, each cut to 40 characters) and lists the known ones', () => {
    const one = checkEventTypes(['raised', 'rasied']);
    expect(one.ok).toBe(false);
    if (one.ok) return;
    expect(one.message).toBe(`unknown event type "rasied"; the types are ${EVENT_TYPES.join(', ')}, or "*"`);
    expect(one.message).not.toContain('"raised"');

    const many = checkEventTypes(['a', 'b', 'c', 'd']);
    expect(many.ok).toBe(false);
    if (many.ok) return;
    expect(many.message).toMatch(/^unknown event type "a", "b", "c"; the types are raised, revised, /);
    expect(many.message).not.toContain('"d"');

    const long = checkEventTypes(['x'.repeat(100)]);
    expect(long.ok).toBe(false);
    if (long.ok) return;
    expect(long.message).toContain(`"${'x'.repeat(40)}"`);
    expect(long.message).not.toContain('x'.repeat(41));
  });

  it('refuses "*" together with anything, even another "*"', () => {
    const alone = { ok: false, message: '"*" stands alone: it already means every type' };
    expect(checkEventTypes(['*', 'raised'])).toEqual(alone);
    expect(checkEventTypes(['closed', '*'])).toEqual(alone);
    expect(checkEventTypes(['*', '*'])).toEqual(alone);
  });

  it('refuses a type named twice', () => {
    expect(checkEventTypes(['raised', 'closed', 'raised'])).toEqual({
      ok: false,
      message: 'an event type is named twice',
    });
  });
});

describe('selectedTypes', () => {
  it('gives no type filter for "*", the named types otherwise', () => {
    expect(selectedTypes({ eventTypes: ['*'] })).toBeUndefined();
    expect(selectedTypes({ eventTypes: ['raised', 'closed'] })).toEqual(['raised', 'closed']);
  });
});

describe('webhookRetryDelay', () => {
  const policy: WebhookRetryPolicy = { initialMs: 1_000, maxMs: 60_000, disableAfterMs: 86_400_000 };

  it('does not wait before the first attempt', () => {
    expect(webhookRetryDelay(0, policy)).toBe(0);
    expect(webhookRetryDelay(-1, policy)).toBe(0);
  });

  it('waits initialMs after the first failure, and twice as long after each next one', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => webhookRetryDelay(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000,
    ]);
  });

  it('never waits longer than maxMs', () => {
    expect(webhookRetryDelay(7, policy)).toBe(60_000);
    expect(webhookRetryDelay(8, policy)).toBe(60_000);
    expect(webhookRetryDelay(100, policy)).toBe(60_000);
  });

  it('does not overflow for huge failure counts', () => {
    for (const failures of [1_000, 1e6, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE]) {
      const delay = webhookRetryDelay(failures, DEFAULTS);
      expect(delay).toBe(HOUR);
      expect(Number.isFinite(delay)).toBe(true);
    }
    // Even with the largest waits the configuration allows (WEBHOOK_RETRY_*_MS).
    const largest: WebhookRetryPolicy = { initialMs: HOUR, maxMs: 24 * HOUR, disableAfterMs: DEFAULTS.disableAfterMs };
    expect(webhookRetryDelay(Number.MAX_SAFE_INTEGER, largest)).toBe(24 * HOUR);
  });

  it('is non-decreasing in failures, and within [initialMs, maxMs] after a failure (property)', () => {
    const policies = fc
      .record({ initialMs: fc.integer({ min: 1, max: 3_600_000 }), spread: fc.integer({ min: 0, max: 86_400_000 }) })
      .map(({ initialMs, spread }) => ({ initialMs, maxMs: initialMs + spread, disableAfterMs: 1 }));
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 10_000 }), (p, failures) => {
        const delay = webhookRetryDelay(failures, p);
        const next = webhookRetryDelay(failures + 1, p);
        return (
          webhookRetryDelay(failures - 1, p) <= delay &&
          delay <= next &&
          delay >= p.initialMs &&
          delay <= p.maxMs &&
          Number.isInteger(delay)
        );
      }),
      { numRuns: 500 },
    );
  });

  it('with the defaults, keeps retrying for at least 3 days before the subscription is given up', () => {
    // The delivery loop: a failure at `now`, then either given up (failing since the first failure for
    // disableAfterMs) or a wait of webhookRetryDelay(failures) before the next attempt.
    const failingSince = new Date('2026-11-30T07:00:00.000Z');
    let now = failingSince.getTime();
    let failures = 0;
    let waited = 0;
    for (;;) {
      failures += 1;
      if (webhookGivenUp(failingSince, new Date(now), DEFAULTS)) break;
      const delay = webhookRetryDelay(failures, DEFAULTS);
      waited += delay;
      now += delay;
      expect(failures).toBeLessThan(10_000);
    }
    expect(waited).toBeGreaterThanOrEqual(72 * HOUR);
    // The waits are 5 s, 10 s, … 2560 s (10 of them, 5115 s in all), then 119 hourly ones until five days
    // have passed: 129 waits, so 130 attempts, the last of which gives the subscription up.
    expect(waited).toBeGreaterThanOrEqual(DEFAULTS.disableAfterMs);
    expect(waited).toBeLessThan(DEFAULTS.disableAfterMs + HOUR);
    expect(waited).toBe(5_115 * SECOND + 119 * HOUR);
    expect(failures).toBe(130);
  });
});

describe('webhookGivenUp', () => {
  const policy: WebhookRetryPolicy = { initialMs: 1_000, maxMs: 60_000, disableAfterMs: 5 * 24 * HOUR };
  const since = new Date('2026-11-30T07:00:00.000Z');
  const after = (ms: number) => new Date(since.getTime() + ms);

  it('gives up exactly when failing for disableAfterMs, not a millisecond before', () => {
    expect(webhookGivenUp(since, since, policy)).toBe(false);
    expect(webhookGivenUp(since, after(policy.disableAfterMs - 1), policy)).toBe(false);
    expect(webhookGivenUp(since, after(policy.disableAfterMs), policy)).toBe(true);
    expect(webhookGivenUp(since, after(policy.disableAfterMs + 1), policy)).toBe(true);
  });
});

describe('webhookId', () => {
  it('is the reference and the sequence number, the same on every attempt', () => {
    expect(webhookId({ reference: 'DIPB-2026-0014', seq: 7 })).toBe('DIPB-2026-0014.7');
    expect(webhookId({ reference: 'DIPB-2026-0014', seq: 7 })).toBe(webhookId({ reference: 'DIPB-2026-0014', seq: 7 }));
    expect(webhookId({ reference: 'DIPB-2026-0014', seq: 70 })).not.toBe(
      webhookId({ reference: 'DIPB-2026-0014', seq: 7 }),
    );
  });
});

describe('cloudEventType', () => {
  it('puts the event type under the reverse-DNS prefix of the service', () => {
    expect(cloudEventType('raised')).toBe('int.nato.dipb.raised');
    expect(cloudEventType('consensus-called')).toBe('int.nato.dipb.consensus-called');
  });
});

describe('deliveredBy', () => {
  it('counts only a 2xx as delivered', () => {
    for (const status of [200, 204, 299]) expect(deliveredBy(status)).toBe(true);
    for (const status of [199, 301, 302, 404, 500]) expect(deliveredBy(status)).toBe(false);
  });
});
