import type { RecommendationView } from '@app/domain';
import { call, sleep } from '@app/testing';
import { events } from '../lifecycle.helpers';
import { firstBytes, isFrozen, raiseFor, retrying, say, temporalScenario, untilFrozen } from './faults.helpers';

/** A Temporal dev server of this test's own, so it can be frozen. */
const PORT = Number(process.env.FAULTS_TEMPORAL_HUNG_PORT ?? 7285);
const DB_FILE = `faults-hung-${PORT}.db`;
/** The API's deadline on each call to Temporal, short here so the scenario takes seconds. */
const DEADLINE_MS = 3000;
/** A raise sent while the server is hung, then again (twice) with the same key once it is back. */
const raiseBody = {
  title: 'Raised while Temporal hung',
  summary: 'S',
  body: 'B',
  workingGroup: 'IC',
  language: 'en',
  nations: ['ITA'],
};

/**
 * The Temporal server hung (SIGSTOP: its port accepts connections, nothing answers — a stuck server,
 * not a refused one). A command is answered 503 with Retry-After within the API's deadline, reads
 * from PostgreSQL keep answering, and once the server resumes the same command retried with its
 * Idempotency-Key takes effect exactly once, whether or not the first attempt had.
 */
describe('faults: the Temporal server hung', () => {
  const s = temporalScenario(PORT, DB_FILE, 'temporal-faults-hung', { TEMPORAL_CALL_TIMEOUT_MS: String(DEADLINE_MS) });

  it('answers 503 with Retry-After within the deadline, and the retried command takes effect once after', async () => {
    const d = s.d;
    const ref = await raiseFor(d, ['FRA', 'DEU'], `hung-${Date.now()}`);
    const proc = s.temporal.process!;

    proc.signal('SIGSTOP');
    const pid = proc.pid!;
    await untilFrozen(pid);
    const probe = await firstBytes(PORT);
    say(
      `[temporal-hung] Temporal server SIGSTOPped: process state frozen=${isFrozen(pid)}; a TCP connect to :${PORT} ${probe.connected ? 'is accepted' : 'FAILS'}, ${probe.received.length} bytes back in 1.5 s`,
    );
    expect(isFrozen(pid)).toBe(true);
    expect(probe.connected).toBe(true);

    try {
      const key = `consensus-hung-${ref}`;
      const t0 = Date.now();
      const command = await call<RecommendationView>(d.api, 'POST', `/api/v1/recommendations/${ref}/consensus`, {
        token: d.who.secretariat,
        body: { silence: 'PT60S' },
        headers: { 'idempotency-key': key },
      });
      const commandMs = Date.now() - t0;
      const t1 = Date.now();
      const raise = await call(d.api, 'POST', '/api/v1/recommendations', {
        token: d.who.secretariat,
        headers: { 'idempotency-key': `raise-hung-${ref}` },
        body: raiseBody,
      });
      const raiseMs = Date.now() - t1;
      const read = await call<RecommendationView>(d.api, 'GET', `/api/v1/recommendations/${ref}`, {
        token: d.who.secretariat,
      });
      say(
        `[temporal-hung] while hung: call for consensus → ${command.status} in ${commandMs} ms (Retry-After ${command.headers.get('retry-after')}); raise → ${raise.status} in ${raiseMs} ms; GET → ${read.status}`,
      );
      for (const [res, ms] of [
        [command, commandMs],
        [raise, raiseMs],
      ] as const) {
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        // It waited for Temporal up to the deadline (the call reached a hung server), and no longer.
        expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS - 200);
        expect(ms).toBeLessThan(DEADLINE_MS + 2000);
      }
      expect(read.status).toBe(200);
      expect(read.body.stage).toBe('drafting');
      await sleep(2000);
    } finally {
      proc.signal('SIGCONT');
    }
    say('[temporal-hung] Temporal server resumed (SIGCONT)');

    // The same commands again, with their keys: each takes effect once.
    const again = await retrying(
      d,
      'POST',
      `/api/v1/recommendations/${ref}/consensus`,
      d.who.secretariat,
      { silence: 'PT60S' },
      `consensus-hung-${ref}`,
      60_000,
    );
    const raiseAgain = () =>
      retrying(d, 'POST', '/api/v1/recommendations', d.who.secretariat, raiseBody, `raise-hung-${ref}`, 60_000);
    const raisedAgain = await raiseAgain();
    const raisedTwice = await raiseAgain();
    expect(again.status).toBe(200);
    expect(again.body.stage).toBe('wg-consensus');
    expect(raisedAgain.status).toBe(201);
    expect(raisedTwice.body.reference).toBe(raisedAgain.body.reference);
    const trail = await events(d.api, d.who.secretariat, ref);
    const calls = trail.filter((e) => e.type === 'consensus-called');
    const raisedTrail = await events(d.api, d.who.secretariat, raisedAgain.body.reference);
    say(
      `[temporal-hung] after the retry: ${calls.length} consensus-called event(s) on ${ref}; the raise key gave ${raisedAgain.body.reference} (${raisedTrail.filter((e) => e.type === 'raised').length} raised event)`,
    );
    expect(calls).toHaveLength(1);
    expect(raisedTrail.filter((e) => e.type === 'raised')).toHaveLength(1);
  });
});
