import { useProjectedDatabase } from '../testing/fresh-database';
import { ScriptedRecommendation, SECRETARIAT } from '../testing/lifecycle';
import { IdempotencyRepository } from './idempotency.repository';

const db = useProjectedDatabase('idempotency');
let idempotency: IdempotencyRepository;

beforeAll(() => {
  idempotency = new IdempotencyRepository(db.dataSource);
});

describe('IdempotencyRepository', () => {
  it('remembers the first request under a key and returns it to every later one', async () => {
    expect(await idempotency.find('raise', 'k-1')).toBeNull();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        idempotency.remember('raise', 'k-1', `hash-${i}`, `DIPB-2026-${String(100 + i).padStart(4, '0')}`),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)?.record;
    for (const r of results) expect(r.record).toEqual(winner);
    expect(await idempotency.find('raise', 'k-1')).toEqual(winner);
  });

  it('keeps keys of different scopes apart', async () => {
    await idempotency.remember('raise', 'shared', 'h1', 'DIPB-2026-0201');
    const other = await idempotency.remember('respond', 'shared', 'h2', 'DIPB-2026-0202');
    expect(other.created).toBe(true);
    expect((await idempotency.find('raise', 'shared'))?.reference).toBe('DIPB-2026-0201');
  });
});

describe('IdempotencyRepository.rememberCommand', () => {
  const at = '2026-03-02T09:00:00.000Z';

  it('stores a new key and says the command is not recorded yet', async () => {
    const rec = new ScriptedRecommendation('DIPB-2026-0301', {}, at);
    await db.projection.apply(rec.projection());
    const kept = await idempotency.rememberCommand(
      `${rec.reference}:call-consensus`,
      'k-new',
      'h1',
      rec.reference,
      'call-consensus:k-new',
    );
    expect(kept).toMatchObject({ created: true, recorded: false });
    expect(kept.record).toMatchObject({ requestHash: 'h1', reference: rec.reference });
    expect(await idempotency.find(`${rec.reference}:call-consensus`, 'k-new')).toEqual(kept.record);
  });

  it('returns the first request under a key to every racing caller, the same record to all', async () => {
    const ref = 'DIPB-2026-0302';
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        idempotency.rememberCommand(`${ref}:respond`, 'k-race', `hash-${i}`, ref, 'respond:k-race'),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)?.record;
    for (const r of results) expect(r).toEqual({ created: r.created, record: winner, recorded: false });
  });

  it('says a command is recorded once the event log holds an event of it, and only for that recommendation', async () => {
    const rec = new ScriptedRecommendation('DIPB-2026-0303', {}, at);
    const other = new ScriptedRecommendation('DIPB-2026-0304', {}, at);
    const scope = `${rec.reference}:call-consensus`;
    expect((await idempotency.rememberCommand(scope, 'k-1', 'h', rec.reference, 'call-consensus:k-1')).recorded).toBe(
      false,
    );
    rec.command(SECRETARIAT, { type: 'call-consensus', silence: 'P14D' }, at, 'call-consensus:k-1');
    other.command(SECRETARIAT, { type: 'call-consensus', silence: 'P14D' }, at, 'call-consensus:k-2');
    await db.projection.apply(rec.projection());
    await db.projection.apply(other.projection());

    const again = await idempotency.rememberCommand(scope, 'k-1', 'h', rec.reference, 'call-consensus:k-1');
    expect(again).toMatchObject({ created: false, recorded: true, record: { requestHash: 'h' } });
    // Another request under the same key: the first one's record comes back, for the caller to refuse.
    const reused = await idempotency.rememberCommand(scope, 'k-1', 'h-other', rec.reference, 'call-consensus:k-1');
    expect(reused).toMatchObject({ created: false, recorded: true, record: { requestHash: 'h' } });
    // k-2 was recorded on the other recommendation, not on this one.
    const elsewhere = await idempotency.rememberCommand(scope, 'k-2', 'h', rec.reference, 'call-consensus:k-2');
    expect(elsewhere).toMatchObject({ created: true, recorded: false });
  });
});
