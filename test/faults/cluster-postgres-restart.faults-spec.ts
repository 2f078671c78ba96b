import { readFileSync } from 'node:fs';
import { call, sleep, waitFor } from '@app/testing';
import { clusterLayout, isPortOpen } from '../../scripts/stack';
import {
  checkAppliedOnce,
  checkFirstAnswers,
  checkInvariants,
  checkProjection,
  clusterScenario,
  CommandStream,
  expectedKinds,
  lifecycles,
  Milestones,
  raiseFor,
  say,
} from './faults.helpers';

/** A cluster of this test's own (ports moved by 200), on a PostgreSQL of its own that the test restarts. */
const layout = clusterLayout(Number(process.env.FAULTS_CLUSTER_PORT_OFFSET ?? 200), 'temporal-cfault', '_cfault');
const PG_PORT = Number(process.env.FAULTS_CLUSTER_PG_PORT ?? 15671);
const DEADLINE_MS = 5000;

/** Lines of the cluster's logs, written at or after `since`, that say a service could not reach PostgreSQL. */
function refusedSince(logFiles: string[], since: number): number {
  return logFiles
    .flatMap((f) => readFileSync(f, 'utf8').split('\n'))
    .filter((line) => line.includes(`:${PG_PORT}`) && /refused|closed|terminat|shutting down/i.test(line))
    .filter((line) => {
      const ts = /"ts":"([^"]+)"/.exec(line)?.[1];
      return ts !== undefined && Date.parse(ts) >= since;
    }).length;
}

describe('faults: PostgreSQL restarted under a Temporal cluster (the record and the engine both lose their database)', () => {
  const s = clusterScenario(layout, {
    apiEnv: { TEMPORAL_CALL_TIMEOUT_MS: String(DEADLINE_MS) },
    ownPostgres: { port: PG_PORT, dir: 'postgres-cfault', database: 'dipb_cfault' },
  });

  it('loses no event, sends no email twice or late, applies every accepted command once, and the projection equals the history', async () => {
    const d = s.d;
    const pg = s.postgres!;
    const drafts = await Promise.all([0, 1].map((i) => raiseFor(d, ['NLD'], `pg-restart-${Date.now()}-${i}`)));
    const stream = new CommandStream(d, drafts, `pg-restart-${Date.now()}`).start(2, 250);
    const m = new Milestones();
    const running = lifecycles(d, 3, 20, 'pg-restart', m.onStage);
    // Restarted once every call for consensus is out: the silences, approval, submission and reminders follow.
    await m.all('called', 3);

    const stoppedAt = Date.now();
    await pg.stop();
    expect(await isPortOpen(PG_PORT)).toBe(false);
    say(`[cluster-pg-restart] PostgreSQL on :${PG_PORT} stopped (fast shutdown: every session cut)`);
    const ready = await call(d.api, 'GET', '/health/ready');
    const list = await call(d.api, 'GET', '/api/v1/recommendations', { token: d.who.secretariat });
    say(`[cluster-pg-restart] while it is down: /health/ready → ${ready.status}; GET list → ${list.status}`);
    expect(ready.status).toBe(503);
    expect(list.status).toBe(503);
    expect(list.headers.get('retry-after')).toMatch(/^\d+$/);
    await sleep(Math.max(0, 10_000 - (Date.now() - stoppedAt)));
    await pg.start();
    await waitFor('PostgreSQL answering again', () => isPortOpen(PG_PORT), { timeoutMs: 30_000 });
    const startedAt = Date.now();
    const logs = s.cluster.processes.map((p) => p.logFile).filter((f): f is string => f !== undefined);
    const refused = refusedSince(logs, stoppedAt);
    say(
      `[cluster-pg-restart] PostgreSQL back after ${((startedAt - stoppedAt) / 1000).toFixed(1)} s; the cluster's services logged ${refused} failed calls to it meanwhile; ${stream.inFlight(stoppedAt, startedAt).length} commands in flight`,
    );
    expect(refused).toBeGreaterThan(0);
    expect(stream.inFlight(stoppedAt, startedAt).length).toBeGreaterThan(0);
    await waitFor('readiness 200 again', async () => (await call(d.api, 'GET', '/health/ready')).status === 200, {
      timeoutMs: 90_000,
    });

    const refs = await running;
    await stream.stop();
    say(
      `[cluster-pg-restart] ${stream.sent.length} commands sent beside the lifecycles; the clients retried ${d.unavailable} times with their keys`,
    );
    // Without its database the API answers 503 at once (PostgreSQL refuses), or after the deadline (Temporal waits on it).
    checkFirstAnswers(stream, 'cluster-pg-restart', DEADLINE_MS + 10_000);
    const raised = await checkAppliedOnce(d, stream, 'cluster-pg-restart');
    await checkInvariants(d, refs, {
      scenario: 'cluster-pg-restart',
      stage: 'closed',
      kinds: expectedKinds(3),
      // A call held back past the end of its 2-second round (the restart comes as the consensus calls go
      // out) is recorded dropped as no longer due, not sent late.
      droppable: ['consensus-call', 'approval-call'],
      maxLatenessMs: 90_000,
    });
    await checkProjection(d, [...refs, ...drafts, ...raised], 'cluster-pg-restart');
  }, 400_000);
});
