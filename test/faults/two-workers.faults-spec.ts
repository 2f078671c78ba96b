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

/** Two workers poll the same task queue; one is SIGKILLed mid-flight and never comes back. */
describe('faults: two workers on the same task queue, one of them killed', () => {
  let api: RunningApi;
  let a: RunningWorker | undefined;
  let b: RunningWorker | undefined;
  let d: Driver;

  beforeAll(async () => {
    [api, a, b] = await Promise.all([startApi(), startWorker(), startWorker()]);
    d = await driver(api);
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await api?.close();
  });

  it('finishes every lifecycle on the survivor with every invariant', async () => {
    const running = Promise.all([0, 1, 2, 3].map((i) => lifecycle(d, nationsFor(i + 4), `pair-${Date.now()}-${i}`)));
    // Both work for a while (silences, calls, submissions), then one dies with whatever it held.
    await sleep(7000);
    await a?.kill();
    a = undefined;
    say('[two-workers] SIGKILL of worker A; worker B carries on alone');
    const refs = await running;
    await checkInvariants(d, refs, {
      scenario: 'two-workers',
      stage: 'closed',
      kinds: expectedKinds(3),
      maxLatenessMs: 45_000,
    });
    // Both workers took tasks, and the killed one held some: they timed out and the survivor did them again.
    const evidence = retryEvidence(await histories(refs));
    say(
      `[two-workers] proof: ${evidence.workflowTaskTimeouts} workflow task(s) and ${evidence.activityTimeouts} activity task(s) timed out on worker A; highest activity attempts ${JSON.stringify(evidence.maxAttempt)}`,
    );
    expect(
      evidence.workflowTaskTimeouts +
        evidence.activityTimeouts +
        Object.values(evidence.maxAttempt).filter((n) => n > 1).length,
    ).toBeGreaterThan(0);
  });
});
