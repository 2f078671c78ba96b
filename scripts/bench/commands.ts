/**
 * 1. A command's round trip: a WG member's consensus position through the API (JWT, validation,
 * the Idempotency-Key, the update, the projection to PostgreSQL, the view back) against two
 * baselines at the same concurrency: the bare SDK `executeUpdate` of the same update on the same
 * workflow type, and the floor — an update whose handler returns at once (`benchNoop`, in a worker
 * process of its own). The API is measured twice: with an `Idempotency-Key`, as a client of the
 * contract sends a command, and without one. The three series start once the consensus calls the
 * rounds owe are out and the machine is quiet, so none shares the cores with the worker's mail, and
 * take turns in four slices each, so other work on a shared machine falls on all three alike.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { NATION_CODES, type Actor, type NationCode } from '@app/domain';
import { updates, type CommandEnvelope } from '@app/temporal';
import { call } from '../../libs/testing/src';
import { sleep } from '../../libs/testing/src/wait';
import {
  expect2xx,
  log,
  percentile,
  pool,
  raiseVia,
  timed,
  tokens,
  waitForQuiet,
  type BenchStack,
  type Timed,
  joined,
} from './common';
import { NOOP_TASK_QUEUE } from './noop-worker';
import { noopUpdate } from './noop.workflow';

export interface CommandResult {
  concurrency: number;
  operations: number;
  /** Through the API, each command with an Idempotency-Key. */
  api: { p50: number; p99: number; throughput: number; errors: number };
  /** Through the API, without a key. */
  apiNoKey: { p50: number; p99: number; throughput: number; errors: number };
  sdk: { p50: number; p99: number; throughput: number; errors: number };
  /** An update that returns at once, same server, same concurrency. */
  floor: { p50: number; p99: number; throughput: number; errors: number };
  throughputRatio: number;
  /** Seconds waited for the mail the rounds owe and for a quiet machine: before the three series, and before the floor. */
  settledSeconds: number[];
}

/** The floor's worker: a process of its own, as the real worker is. */
async function startNoopWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'noop-worker.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`noop worker did not start: ${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('noop worker polling')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`noop worker exited with ${code}: ${out}`)));
  });
  return child;
}

/**
 * Waits until every message already due is out of the outbox (the rounds' consensus calls), then for
 * a quiet machine (at most 30 s: other work on a shared machine may never let it be quiet).
 */
async function settle(stack: BenchStack): Promise<number> {
  const started = Date.now();
  const db = new PgClient({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    for (;;) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications WHERE status = 'pending' AND due_at <= now()`,
      );
      if ((rows[0]?.n ?? 0) === 0 || Date.now() - started > 300_000) break;
      await sleep(1000);
    }
  } finally {
    await db.end();
  }
  await waitForQuiet({ maxMs: 30_000 });
  return (Date.now() - started) / 1000;
}

const summary = (t: Timed) => ({
  p50: percentile(t.latencies, 50),
  p99: percentile(t.latencies, 99),
  throughput: t.throughput,
  errors: t.errors,
});

/** Recommendations in wg-consensus with a long silence: every WG member may give a position. */
async function openRounds(stack: BenchStack, count: number, secretariat: string): Promise<string[]> {
  return pool(
    Array.from({ length: count }, (_, i) => i),
    4,
    async (i) => {
      const ref = await raiseVia(stack.api, secretariat, {
        title: `Round-trip bench ${i}`,
        policy: { consensusSilence: 'P14D', silenceReminders: [] },
      });
      expect2xx(
        await call(stack.api, 'POST', `/api/v1/recommendations/${ref}/consensus`, {
          token: secretariat,
          body: { silence: 'P14D' },
        }),
        'consensus',
      );
      return ref;
    },
  );
}

export async function benchCommands(
  stack: BenchStack,
  { concurrency = 8, recommendations = 16 } = {},
): Promise<CommandResult> {
  const nations = NATION_CODES as readonly NationCode[];
  const t = await tokens(nations);
  log(`commands: opening ${recommendations * 3 + 1} consensus rounds`);
  const [warm, ...refs] = await openRounds(stack, recommendations * 3 + 1, t.secretariat);
  const apiRefs = refs.slice(0, recommendations);
  const apiNoKeyRefs = refs.slice(recommendations, recommendations * 2);
  const sdkRefs = refs.slice(recommendations * 2);
  // Nation-major order: the operations in flight hit different workflows, as many clients would.
  const pairs = (rs: string[]) => nations.flatMap((n) => rs.map((ref) => ({ ref, nation: n })));

  const viaApi =
    (ref: string, nation: NationCode, keyed = true) =>
    async () =>
      (
        await call(stack.api, 'POST', `/api/v1/recommendations/${ref}/consensus/positions`, {
          token: t.wg.get(nation)!,
          body: { position: 'concur', comment: `${nation} concurs` },
          ...(keyed ? { headers: { 'idempotency-key': randomUUID() } } : {}),
        })
      ).status === 200;
  const viaSdk = (ref: string, nation: NationCode) => async () => {
    const actor: Actor = { id: `wg-${nation}`, roles: ['wg-member'], nation, workingGroups: ['IC'] };
    const commandId = `consensus-position:${randomUUID()}`;
    const envelope: CommandEnvelope = {
      actor,
      command: { type: 'consensus-position', position: 'concur', comment: `${nation} concurs` },
      commandId,
      v: 2,
    };
    await stack.client.workflow
      .getHandle(ref)
      .executeUpdate(updates['consensus-position'], { args: [envelope], updateId: commandId });
    return true;
  };

  // Warm-up: both paths, a few calls each, on a workflow of their own.
  await timed(
    nations.slice(0, 8).map((n) => viaApi(warm!, n)),
    4,
  );
  await timed(
    nations.slice(8, 16).map((n) => viaSdk(warm!, n)),
    4,
  );

  // The floor: the same number of updates on no-op workflows, spread the same way.
  const noopWorker = await startNoopWorker(stack.env);
  const noopIds = Array.from({ length: recommendations }, (_, i) => `bench-noop-${Date.now()}-${i}`);
  for (const id of noopIds)
    await stack.client.workflow.start('benchNoop', { workflowId: id, taskQueue: NOOP_TASK_QUEUE });
  const viaNoop = (id: string, nation: NationCode) => async () => {
    const envelope = {
      actor: { id: `wg-${nation}`, roles: ['wg-member'], nation, workingGroups: ['IC'] },
      command: { type: 'consensus-position', position: 'concur', comment: `${nation} concurs` },
    };
    await stack.client.workflow.getHandle(id).executeUpdate(noopUpdate, { args: [envelope], updateId: randomUUID() });
    return true;
  };
  await timed(
    nations.slice(0, 8).map((n) => viaNoop(noopIds[0]!, n)),
    4,
  );

  const ops = pairs(apiRefs).length;
  log(
    `commands: ${ops} positions through the API with a key, ${ops} without and ${ops} by bare executeUpdate, taking turns, concurrency ${concurrency}`,
  );
  const settledSeconds: number[] = [];
  settledSeconds.push(await settle(stack));
  // The three series take turns, a slice of each per turn (the order rotating), so a burst of other
  // work on a shared machine falls on all of them alike rather than on whichever ran at that minute.
  const series = {
    api: pairs(apiRefs).map(({ ref, nation }) => viaApi(ref, nation)),
    apiNoKey: pairs(apiNoKeyRefs).map(({ ref, nation }) => viaApi(ref, nation, false)),
    sdk: pairs(sdkRefs).map(({ ref, nation }) => viaSdk(ref, nation)),
  };
  const names = Object.keys(series) as (keyof typeof series)[];
  const turns = 4;
  const slice = Math.ceil(ops / turns);
  const parts: Record<keyof typeof series, Timed[]> = { api: [], apiNoKey: [], sdk: [] };
  for (let turn = 0; turn < turns; turn++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(turn + k) % names.length]!;
      parts[name].push(await timed(series[name].slice(turn * slice, (turn + 1) * slice), concurrency));
    }
  }
  const api = joined(parts.api);
  const apiNoKey = joined(parts.apiNoKey);
  const sdk = joined(parts.sdk);
  settledSeconds.push(await settle(stack));
  const floor = await timed(
    nations.flatMap((n) => noopIds.map((id) => viaNoop(id, n))),
    concurrency,
  );
  for (const id of noopIds) await stack.client.workflow.getHandle(id).terminate('benchmark done');
  noopWorker.kill('SIGTERM');
  return {
    concurrency,
    operations: ops,
    api: summary(api),
    apiNoKey: summary(apiNoKey),
    sdk: summary(sdk),
    floor: summary(floor),
    throughputRatio: api.throughput / sdk.throughput,
    settledSeconds,
  };
}
