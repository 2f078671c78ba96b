import { call, sleep } from '@app/testing';
import {
  checkInvariants,
  expectedKinds,
  Milestones,
  say,
  temporalScenario,
  untilStages,
  lifecycles,
} from './faults.helpers';

/** A Temporal dev server of this test's own, so it can be stopped and restarted on its SQLite database. */
const PORT = Number(process.env.FAULTS_TEMPORAL_RESTART_PORT ?? 7284);
const DB_FILE = `faults-restart-${PORT}.db`;

describe('faults: the Temporal server stopped and restarted on its persisted database', () => {
  const s = temporalScenario(PORT, DB_FILE, 'temporal-faults-restart');

  it('resumes every timer and command after the restart', async () => {
    const d = s.d;
    const m = new Milestones();
    const running = lifecycles(d, 3, 14, 'temporal', m.onStage);
    // Stop it once every recommendation is submitted: the response reminders (6 s later) fall due while it is down.
    await untilStages(d, await m.all('called', 3), ['submitted']);
    const stoppedAt = Date.now();
    await s.temporal.stop();
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
    await s.temporal.start();
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
