import { startApi, startWorker, type RunningApi, type RunningWorker } from '@app/testing';
import {
  checkInvariants,
  driver,
  expectedKinds,
  lifecycle,
  nationsFor,
  sleep,
  TcpProxy,
  type Driver,
  say,
} from './faults.helpers';

const PROXY_PORT = Number(process.env.FAULTS_SMTP_PROXY_PORT ?? 15651);

/** The SMTP server unreachable for a while: the deliveries retry with backoff and go out once, late. */
describe('faults: the SMTP server down for a while', () => {
  let api: RunningApi;
  let worker: RunningWorker;
  let d: Driver;
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = new TcpProxy(PROXY_PORT, Number(process.env.SMTP_PORT ?? 1625));
    await proxy.open();
    [api, worker] = await Promise.all([startApi(), startWorker({ SMTP_PORT: String(PROXY_PORT) })]);
    d = await driver(api);
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await proxy?.close();
  });

  it('delivers every message once when SMTP is back', async () => {
    const running = Promise.all([0, 1, 2].map((i) => lifecycle(d, nationsFor(i + 11), `smtp-${Date.now()}-${i}`)));
    // Down across the approval calls, the submissions and the response reminders.
    await sleep(2500);
    await proxy.cut();
    say('[smtp-outage] SMTP cut for 12 s');
    await sleep(12_000);
    await proxy.open();
    say('[smtp-outage] SMTP back');
    const refs = await running;
    const report = await checkInvariants(d, refs, {
      scenario: 'smtp-outage',
      stage: 'closed',
      kinds: expectedKinds(3),
      maxLatenessMs: 60_000,
    });
    // The outage held messages back: they were recorded late, with the real send time.
    expect(report.maxLatenessMs).toBeGreaterThan(0);
  });
});
