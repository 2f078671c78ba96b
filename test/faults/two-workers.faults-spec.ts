import { startWorker, sleep, type RunningWorker } from '@app/testing';
import { checkInvariants, expectedKinds, expectRedone, say, scenario, lifecycles } from './faults.helpers';

/** Two workers poll the same task queue; one is SIGKILLed mid-flight and never comes back. */
describe('faults: two workers on the same task queue, one of them killed', () => {
  // The scenario's worker is A; B is the second.
  const s = scenario();
  let b: RunningWorker | undefined;

  beforeAll(async () => {
    b = await startWorker();
  });

  afterAll(async () => {
    await b?.stop();
  });

  it('finishes every lifecycle on the survivor with every invariant', async () => {
    const d = s.d;
    const running = lifecycles(d, 4, 4, 'pair');
    // Both work for a while (silences, calls, submissions), then one dies with whatever it held.
    await sleep(7000);
    await s.worker?.kill();
    s.worker = undefined;
    say('[two-workers] SIGKILL of worker A; worker B carries on alone');
    const refs = await running;
    await checkInvariants(d, refs, {
      scenario: 'two-workers',
      stage: 'closed',
      kinds: expectedKinds(3),
      maxLatenessMs: 45_000,
    });
    // Both workers took tasks, and the killed one held some: they timed out and the survivor did them again.
    await expectRedone(refs, 'two-workers', 'worker A');
  });
});
