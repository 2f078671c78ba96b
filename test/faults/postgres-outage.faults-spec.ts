import { call, sleep, startApiProcess } from '@app/testing';
import {
  checkInvariants,
  histories,
  retryEvidence,
  expectedKinds,
  Milestones,
  say,
  scenario,
  TcpProxy,
  lifecycles,
} from './faults.helpers';

const PROXY_PORT = Number(process.env.FAULTS_PG_PROXY_PORT ?? 15650);
const API_PORT = Number(process.env.FAULTS_API_PORT ?? 15652);

/**
 * PostgreSQL unreachable for a while. The machine's server is shared, so the API and the worker
 * reach it through a proxy the test cuts: connections are refused and open ones reset.
 */
describe('faults: PostgreSQL unreachable for a while', () => {
  const direct = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb_faults');
  const proxy = new TcpProxy(PROXY_PORT, Number(direct.port || 5432), direct.hostname);
  const s = scenario({
    setup: async () => {
      await proxy.open();
      const viaProxy = new URL(direct.toString());
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(PROXY_PORT);
      const env = { DATABASE_URL: viaProxy.toString(), RATE_LIMIT_PER_MINUTE: '100000' };
      return { startApi: () => startApiProcess(API_PORT, env), workerEnv: env };
    },
    release: () => proxy.open(),
    teardown: () => proxy.close(),
  });

  it('answers 503 with Retry-After while it is gone, and the record catches up afterwards', async () => {
    const d = s.d;
    const m = new Milestones();
    const running = lifecycles(d, 3, 8, 'pg', m.onStage);
    // Cut once every consensus call is in: the silences, approval, submission and reminders all need PostgreSQL.
    await m.all('called', 3);
    await proxy.cut();
    const cutAt = Date.now();
    say('[postgres-outage] PostgreSQL cut (proxy refuses and resets connections)');
    await sleep(1500);
    // What needs PostgreSQL says so: 503 problem+json with Retry-After, never a 500.
    const list = await call(d.api, 'GET', '/api/v1/recommendations?stage=submitted', { token: d.who.secretariat });
    const one = await call(d.api, 'GET', `/api/v1/recommendations/${m.refs('called')[0]}`, {
      token: d.who.secretariat,
    });
    const ready = await call(d.api, 'GET', '/health/ready');
    say(
      `[postgres-outage] during the outage: GET list → ${list.status} (Retry-After ${list.headers.get('retry-after')}, ${list.headers.get('content-type')}); GET one → ${one.status}; /health/ready → ${ready.status}`,
    );
    expect([list.status, one.status, ready.status]).toEqual([503, 503, 503]);
    expect(list.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(list.headers.get('content-type')).toContain('application/problem+json');
    await sleep(Math.max(0, 10_000 - (Date.now() - cutAt)));
    await proxy.open();
    say(`[postgres-outage] PostgreSQL back after ${((Date.now() - cutAt) / 1000).toFixed(1)} s`);
    const refs = await running;
    say(
      `[postgres-outage] the driver met ${d.unavailable} 503/unreachable answers and retried them; ${proxy.refused} PostgreSQL connections refused while cut`,
    );
    // The outage happened, and was met: the API answered 503 (above), connections were refused, and
    // the worker's projections were attempted again until PostgreSQL came back.
    const evidence = retryEvidence(await histories(refs));
    say(`[postgres-outage] proof: persist activity reached attempt ${evidence.maxAttempt.persist ?? 0}`);
    expect(proxy.refused).toBeGreaterThan(0);
    expect(evidence.maxAttempt.persist ?? 0).toBeGreaterThan(1);
    await checkInvariants(d, refs, {
      scenario: 'postgres-outage',
      stage: 'closed',
      kinds: expectedKinds(3),
      // An approval call held back (its events could not be recorded) past the end of its 2-second round is dropped, not sent late.
      droppable: ['approval-call'],
      maxLatenessMs: 60_000,
    });
  });
});
