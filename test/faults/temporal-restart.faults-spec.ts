import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { call, startApi, startWorker, sleep, type RunningApi, type RunningWorker } from '@app/testing';
import { dataDir, ensureTemporalCli, setLogMode, startTemporal, type TemporalHandle } from '../../scripts/stack';
import {
  checkInvariants,
  driver,
  expectedKinds,
  lifecycle,
  Milestones,
  nationsFor,
  say,
  untilStages,
  type Driver,
} from './faults.helpers';

/** A Temporal dev server of this test's own, so it can be stopped and restarted on its SQLite database. */
const PORT = Number(process.env.FAULTS_TEMPORAL_RESTART_PORT ?? 7284);
const DB_FILE = `faults-restart-${PORT}.db`;

describe('faults: the Temporal server stopped and restarted on its persisted database', () => {
  let api: RunningApi;
  let worker: RunningWorker;
  let d: Driver;
  let temporal: TemporalHandle | undefined;
  const original = process.env.TEMPORAL_ADDRESS;

  beforeAll(async () => {
    setLogMode('files'); // the server's output goes to .data/logs/temporal-faults-restart.log
    const db = join(dataDir, 'temporal', DB_FILE);
    for (const f of [db, `${db}-shm`, `${db}-wal`]) rmSync(f, { force: true });
    temporal = await startTemporal({
      cli: await ensureTemporalCli(),
      port: PORT,
      dbFile: DB_FILE,
      namespace: 'default',
      name: 'temporal-faults-restart',
    });
    if (!temporal.started)
      throw new Error(`something already answers on ${PORT}; this test must own its Temporal server`);
    process.env.TEMPORAL_ADDRESS = temporal.address;
    [api, worker] = await Promise.all([startApi(), startWorker({ TEMPORAL_ADDRESS: temporal.address })]);
    d = await driver(api);
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await temporal?.stop();
    process.env.TEMPORAL_ADDRESS = original;
  });

  it('resumes every timer and command after the restart', async () => {
    const m = new Milestones();
    const running = Promise.all(
      [0, 1, 2].map((i) => lifecycle(d, nationsFor(i + 14), `temporal-${Date.now()}-${i}`, m.onStage)),
    );
    // Stop it once every recommendation is submitted: the response reminders (6 s later) fall due while it is down.
    await untilStages(d, await m.all('called', 3), ['submitted']);
    const stoppedAt = Date.now();
    await temporal!.stop();
    say(`[temporal-restart] Temporal server stopped (SIGTERM took ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s)`);
    // While it is down, what needs Temporal says so (readiness), and the reads from PostgreSQL still answer.
    const probing = Date.now();
    const ready = await call(d.api, 'GET', '/health/ready');
    const probeSeconds = ((Date.now() - probing) / 1000).toFixed(1);
    const list = await call(d.api, 'GET', '/api/v1/recommendations', { token: d.who.secretariat });
    say(
      `[temporal-restart] while down: /health/ready → ${ready.status} (after ${probeSeconds} s); GET list → ${list.status}`,
    );
    expect(ready.status).toBe(503);
    expect(list.status).toBe(200);
    await sleep(Math.max(0, 10_000 - (Date.now() - stoppedAt)));
    const restarting = Date.now();
    await temporal!.start();
    say(
      `[temporal-restart] Temporal server restarted on ${DB_FILE}: down ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s (start took ${((Date.now() - restarting) / 1000).toFixed(1)} s)`,
    );
    const refs = await running;
    say(`[temporal-restart] the driver saw ${d.unavailable} 503/unreachable answers and retried`);
    const report = await checkInvariants(d, refs, {
      scenario: 'temporal-restart',
      stage: 'closed',
      kinds: expectedKinds(3),
      maxLatenessMs: 60_000,
    });
    // The reminders fell due during the outage: they went out late, once, after the restart.
    expect(report.maxLatenessMs).toBeGreaterThan(1000);
  });
});
