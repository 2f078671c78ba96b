import { startApi, startWorker, sleep, type RunningApi, type RunningWorker } from '@app/testing';
import {
  checkInvariants,
  driver,
  expectedKinds,
  histories,
  lifecycle,
  nationsFor,
  retryEvidence,
  type Driver,
  say,
} from './faults.helpers';

/** The worker SIGKILLed again and again while lifecycles run: Temporal hands the work to the next worker. */
describe('faults: worker SIGKILLed mid-lifecycle and restarted, several times', () => {
  let api: RunningApi;
  let worker: RunningWorker | undefined;
  let d: Driver;

  beforeAll(async () => {
    [api, worker] = await Promise.all([startApi(), startWorker()]);
    d = await driver(api);
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
  });

  it('keeps every invariant across three crashes', async () => {
    const running = Promise.all([0, 1, 2, 3].map((i) => lifecycle(d, nationsFor(i), `crash-${Date.now()}-${i}`)));
    let done = false;
    void running.finally(() => (done = true)).catch(() => undefined);
    let kills = 0;
    // Crash the worker 3 times, 4 s apart, each time down for 2 s: during silences, sends and commands.
    for (let k = 0; k < 3 && !done; k++) {
      await sleep(4000);
      await worker?.kill();
      kills++;
      say(`[worker-crash] SIGKILL #${kills} of the worker`);
      worker = undefined;
      await sleep(2000);
      worker = await startWorker();
    }
    const refs = await running;
    expect(kills).toBeGreaterThanOrEqual(2);
    const report = await checkInvariants(d, refs, {
      scenario: 'worker-crash',
      stage: 'closed',
      kinds: expectedKinds(3),
      maxLatenessMs: 45_000,
    });
    expect(report.refs).toBe(4);
    // The killed workers held work: tasks timed out on them and were done again by the next one.
    const evidence = retryEvidence(await histories(refs));
    say(
      `[worker-crash] proof: ${evidence.workflowTaskTimeouts} workflow task(s) and ${evidence.activityTimeouts} activity task(s) timed out on killed workers; highest activity attempts ${JSON.stringify(evidence.maxAttempt)}`,
    );
    expect(
      evidence.workflowTaskTimeouts +
        evidence.activityTimeouts +
        Object.values(evidence.maxAttempt).filter((n) => n > 1).length,
    ).toBeGreaterThan(0);
  });
});
