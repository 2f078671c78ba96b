import { startWorker, sleep } from '@app/testing';
import { checkInvariants, expectedKinds, expectRedone, say, scenario, lifecycles } from './faults.helpers';

/** The worker SIGKILLed again and again while lifecycles run: Temporal hands the work to the next worker. */
describe('faults: worker SIGKILLed mid-lifecycle and restarted, several times', () => {
  const s = scenario();

  it('keeps every invariant across three crashes', async () => {
    const d = s.d;
    const running = lifecycles(d, 4, 0, 'crash');
    let done = false;
    void running.finally(() => (done = true)).catch(() => undefined);
    let kills = 0;
    // Crash the worker 3 times, 4 s apart, each time down for 2 s: during silences, sends and commands.
    for (let k = 0; k < 3 && !done; k++) {
      await sleep(4000);
      await s.worker?.kill();
      kills++;
      say(`[worker-crash] SIGKILL #${kills} of the worker`);
      s.worker = undefined;
      await sleep(2000);
      s.worker = await startWorker();
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
    await expectRedone(refs, 'worker-crash', 'killed workers');
  });
});
