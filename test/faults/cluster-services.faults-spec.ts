import { call, sleep, waitFor } from '@app/testing';
import { clusterLayout, isPortOpen, type ManagedProcess } from '../../scripts/stack';
import {
  checkAppliedOnce,
  checkFirstAnswers,
  checkInvariants,
  clusterScenario,
  CommandStream,
  firstBytes,
  isFrozen,
  untilFrozen,
  raiseFor,
  say,
  type Driver,
} from './faults.helpers';

/** A cluster of this test's own: ports moved by 200 from `npm run up`'s, databases `*_cfault`. */
const layout = clusterLayout(Number(process.env.FAULTS_CLUSTER_PORT_OFFSET ?? 200), 'temporal-cfault', '_cfault');
/** The API's deadline on each call to Temporal, short here so a scenario takes seconds. */
const DEADLINE_MS = 5000;
/** A first answer may take the deadline, plus the API's own work on a loaded two-core machine. */
const ANSWER_WITHIN_MS = DEADLINE_MS + 3000;
const service = (s: ReturnType<typeof clusterScenario>, name: string): ManagedProcess & { pid: number } => {
  const proc = s.cluster.processes.find((p) => p.name === `temporal-cfault-${name}`);
  if (!proc?.pid) throw new Error(`temporal-cfault-${name} is not running`);
  return proc as ManagedProcess & { pid: number };
};
const portOf = (name: string): { grpc: number; membership: number } => {
  const p = layout.processes.find((x) => x.name === `temporal-cfault-${name}`)!;
  return { grpc: p.grpcPort, membership: p.membershipPort };
};

/** Asks /health/ready every 250 ms; keeps what it heard, with when. */
class ReadinessProbe {
  readonly heard: { at: number; status: number | 'unreachable' }[] = [];
  private stopped = false;
  private readonly loop: Promise<void>;
  constructor(d: Driver) {
    this.loop = (async () => {
      while (!this.stopped) {
        const at = Date.now();
        const status = await call(d.api, 'GET', '/health/ready').then(
          (r) => r.status,
          () => 'unreachable' as const,
        );
        this.heard.push({ at, status });
        await sleep(250);
      }
    })();
  }
  /** The statuses heard in [from, to], with repeats folded: e.g. 200 → 503 → 200. */
  transitions(from: number, to = Date.now()): (number | 'unreachable')[] {
    return this.heard
      .filter((h) => h.at >= from && h.at <= to)
      .map((h) => h.status)
      .filter((st, i, all) => i === 0 || all[i - 1] !== st);
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

describe('faults: the services of a Temporal cluster restarted, and its frontend hung', () => {
  const s = clusterScenario(layout, { apiEnv: { TEMPORAL_CALL_TIMEOUT_MS: String(DEADLINE_MS) } });
  /** Stops one service (SIGTERM); its gRPC port is closed after. */
  const stopService = async (name: string) => {
    const proc = service(s, name);
    const pid = proc.pid;
    const at = Date.now();
    await proc.stop();
    expect(await isPortOpen(portOf(name).grpc)).toBe(false);
    return { proc, pid, at };
  };

  it('restarts matching, then the frontend, while commands arrive: success or 503 with Retry-After, each applied once', async () => {
    const d = s.d;
    const drafts = await Promise.all([0, 1, 2, 3].map((i) => raiseFor(d, ['FRA'], `restart-${Date.now()}-${i}`)));
    const probe = new ReadinessProbe(d);
    const stream = new CommandStream(d, drafts, `restart-${Date.now()}`).start();
    await sleep(3000);

    // Matching: stopped (SIGTERM), down 5 s, started again on the same ports.
    const { proc: matching, pid: matchingPid, at: matchingDown } = await stopService('matching');
    await sleep(5000);
    matching.start();
    await waitFor('matching back in the membership ring', () => isPortOpen(portOf('matching').membership), {
      timeoutMs: 60_000,
    });
    const matchingUp = Date.now();
    say(
      `[cluster-restart] matching restarted: pid ${matchingPid} → ${matching.pid}, down ${((matchingUp - matchingDown) / 1000).toFixed(1)} s; ${stream.inFlight(matchingDown, matchingUp).length} commands in flight meanwhile`,
    );
    expect(matching.pid).not.toBe(matchingPid);
    expect(stream.inFlight(matchingDown, matchingUp).length).toBeGreaterThan(0);
    await sleep(8000);

    // The frontend: the API's and the worker's only door to Temporal.
    const { proc: frontend, pid: frontendPid, at: frontendDown } = await stopService('frontend');
    await waitFor('readiness 503 while the frontend is down', () => probe.transitions(frontendDown).includes(503), {
      timeoutMs: 15_000,
    });
    await sleep(Math.max(0, 8000 - (Date.now() - frontendDown)));
    frontend.start();
    await waitFor('the frontend answering again', () => isPortOpen(portOf('frontend').grpc), { timeoutMs: 60_000 });
    const frontendUp = Date.now();
    await waitFor('readiness 200 again', () => probe.heard.at(-1)?.status === 200, { timeoutMs: 90_000 });
    const readyAgain = Date.now();
    const inFlightFrontend = stream.inFlight(frontendDown, frontendUp);
    say(
      `[cluster-restart] frontend restarted: pid ${frontendPid} → ${frontend.pid}, down ${((frontendUp - frontendDown) / 1000).toFixed(1)} s; readiness ${probe.transitions(frontendDown - 1000).join(' → ')}, ready again ${((readyAgain - frontendUp) / 1000).toFixed(1)} s after; ${inFlightFrontend.length} commands in flight meanwhile (first answers ${[...new Set(inFlightFrontend.map((c) => c.first.status))].join(', ')})`,
    );
    expect(frontend.pid).not.toBe(frontendPid);
    expect(probe.transitions(frontendDown - 1000)).toEqual([200, 503, 200]);
    expect(inFlightFrontend.some((c) => c.first.status === 503)).toBe(true);
    await sleep(5000);

    await stream.stop();
    await probe.stop();
    say(
      `[cluster-restart] ${stream.sent.length} commands sent; the clients retried ${d.unavailable} times with their keys`,
    );
    checkFirstAnswers(stream, 'cluster-restart', ANSWER_WITHIN_MS);
    const raised = await checkAppliedOnce(d, stream, 'cluster-restart');
    await checkInvariants(d, [...drafts, ...raised], {
      scenario: 'cluster-restart',
      stage: 'drafting',
      maxLatenessMs: 0,
    });
  }, 300_000);

  it('hangs the frontend (SIGSTOP) for 30 s: commands are answered 503 within the deadline, and after SIGCONT none is lost or doubled', async () => {
    const d = s.d;
    d.unavailable = 0;
    const drafts = await Promise.all([0, 1, 2, 3].map((i) => raiseFor(d, ['DEU'], `hang-${Date.now()}-${i}`)));
    const stream = new CommandStream(d, drafts, `hang-${Date.now()}`).start();
    // Whatever fails below, the clients stop with the test, while the worker still runs (else their retries
    // meet 503s through the teardown, and fail the next file).
    try {
      await sleep(3000);

      const frontend = service(s, 'frontend');
      const hungAt = Date.now();
      expect(frontend.signal('SIGSTOP')).toBe(true);
      let thawedAt = 0;
      try {
        const stoppedInMs = await untilFrozen(frontend.pid);
        const probe = await firstBytes(portOf('frontend').grpc);
        say(
          `[cluster-hang] frontend SIGSTOPped: every thread stopped after ${stoppedInMs} ms, frozen=${isFrozen(frontend.pid)}; a TCP connect to :${portOf('frontend').grpc} ${probe.connected ? 'is accepted' : 'FAILS'}, ${probe.received.length} bytes back in 1.5 s`,
        );
        expect(isFrozen(frontend.pid)).toBe(true);
        expect(probe.connected).toBe(true);
        expect(probe.received).toBe('');
        await sleep(Math.max(0, 30_000 - (Date.now() - hungAt)));
      } finally {
        frontend.signal('SIGCONT');
        thawedAt = Date.now();
      }
      // Commands sent while it was hung, and answered before it thawed: each within the deadline.
      const duringHang = stream.sent.filter((c) => c.sentAt >= hungAt && c.sentAt + c.first.ms <= thawedAt);
      say(
        `[cluster-hang] frontend thawed (SIGCONT) after ${((thawedAt - hungAt) / 1000).toFixed(1)} s; ${duringHang.length} commands sent and answered while it hung: ${JSON.stringify(Object.fromEntries([...new Set(duringHang.map((c) => c.first.status))].map((st) => [st, duringHang.filter((c) => c.first.status === st).length])))}, slowest ${Math.max(0, ...duringHang.map((c) => c.first.ms))} ms`,
      );
      expect(duringHang.length).toBeGreaterThan(0);
      for (const c of duringHang) {
        expect(c.first.status).toBe(503);
        // It waited for Temporal up to the deadline (the call reached a hung server), and not much longer.
        expect(c.first.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 200);
        expect(c.first.ms).toBeLessThan(ANSWER_WITHIN_MS);
      }
      await sleep(10_000);

      await stream.stop();
      say(
        `[cluster-hang] ${stream.sent.length} commands sent; the clients retried ${d.unavailable} times with their keys`,
      );
      checkFirstAnswers(stream, 'cluster-hang', ANSWER_WITHIN_MS);
      const raised = await checkAppliedOnce(d, stream, 'cluster-hang');
      await checkInvariants(d, [...drafts, ...raised], {
        scenario: 'cluster-hang',
        stage: 'drafting',
        maxLatenessMs: 0,
      });
    } finally {
      await stream.stop();
    }
  }, 300_000);
});
