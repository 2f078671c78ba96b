import { call, eventually, sleep } from '@app/testing';
import { events } from '../lifecycle.helpers';
import {
  checkInvariants,
  expectedKinds,
  histories,
  raiseFor,
  retryEvidence,
  say,
  scenario,
  TcpProxy,
  lifecycles,
} from './faults.helpers';

const PROXY_PORT = Number(process.env.FAULTS_SMTP_PROXY_PORT ?? 15651);

/** The SMTP server refusing connections for a while: commands answer at once, the deliveries retry with backoff and go out once, late. */
describe('faults: the SMTP server down for a while', () => {
  const proxy = new TcpProxy(PROXY_PORT, Number(process.env.SMTP_PORT ?? 1625));
  const s = scenario({
    setup: async () => {
      await proxy.open();
      return { workerEnv: { SMTP_PORT: String(PROXY_PORT) } };
    },
    teardown: () => proxy.close(),
  });

  it('delivers every message once when SMTP is back', async () => {
    const d = s.d;
    const called: string[] = [];
    const running = lifecycles(d, 3, 11, 'smtp', (ref, stage) => stage === 'called' && called.push(ref));
    // Down across the approval calls, the submissions and the response reminders: cut once each
    // consensus call is out (a call held back past its 2-second round would be dropped, not sent).
    await eventually(
      async () => {
        if (called.length < 3) return false;
        const trails = await Promise.all(called.map((ref) => events(d.api, d.who.secretariat, ref)));
        return trails.every(
          (t) => t.filter((e) => e.type === 'notification-sent' && e.data.kind === 'consensus-call').length === 3,
        );
      },
      20_000,
      50,
    );
    await proxy.cut();
    const cutAt = Date.now();
    say('[smtp-outage] SMTP cut for 12 s');
    // Commands do not wait on mail: answered at once while nothing can be sent.
    await sleep(1000);
    const extra = await raiseFor(d, ['ISL'], `smtp-extra-${Date.now()}`);
    const timed = async (what: string, path: string, body: unknown) => {
      const t0 = Date.now();
      const res = await call(d.api, 'POST', `/api/v1/recommendations/${extra}${path}`, {
        token: d.who.secretariat,
        body,
      });
      const ms = Date.now() - t0;
      say(`[smtp-outage] during the outage: ${what} → ${res.status} in ${ms} ms`);
      return { status: res.status, ms };
    };
    const answers = [
      await timed('call for consensus', '/consensus', { silence: 'PT60S' }),
      await timed('withdrawal', '/withdrawal', { reason: 'test of the outage' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(2000);
    await sleep(Math.max(0, 12_000 - (Date.now() - cutAt)));
    await proxy.open();
    say('[smtp-outage] SMTP back');
    const refs = await running;
    const report = await checkInvariants(d, refs, {
      scenario: 'smtp-outage',
      stage: 'closed',
      kinds: expectedKinds(3),
      // An approval call held back past the end of its 2-second round is dropped, not sent late.
      droppable: ['approval-call'],
      maxLatenessMs: 60_000,
    });
    // The outage happened, and was met: connections refused, deliveries attempted again, messages late.
    const evidence = retryEvidence(await histories(refs));
    say(
      `[smtp-outage] proof: ${proxy.refused} SMTP connections refused while cut; notify activity reached attempt ${evidence.maxAttempt.notify ?? 0}; max lateness ${(report.maxLatenessMs / 1000).toFixed(1)} s`,
    );
    expect(proxy.refused).toBeGreaterThan(0);
    expect(evidence.maxAttempt.notify ?? 0).toBeGreaterThan(1);
    expect(report.maxLatenessMs).toBeGreaterThan(1000);
  });
});
