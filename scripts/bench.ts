/**
 * `npm run bench`: how fast the service is, each figure beside a baseline measured in the same run.
 * Never part of pass/fail. Starts a stack of its own (Temporal :7297, PostgreSQL `dipb_bench`,
 * MailDev :1727/:1787, the built API on :3797 and worker), prints a table and writes `.bench/bench-<time>.json` (git-ignored).
 *
 *   npm run bench -- [--n 200] [--open 1000] [--only commands,reads,lifecycle,open,reminders] [--cluster-n 50]
 *                    [--concurrency 8] [--rows 10000] [--samples 500] [--sync-events 20000] [--burst 1024]
 *                    [--flood 100000] [--flood-seconds 300] [--flood-concurrency 16] [--legit-seconds 30] [--flood-nice 10]
 *
 * 1. commands: a consensus position through the API (with and without an Idempotency-Key) vs bare `executeUpdate`
 *    (goal: throughput ratio ≥ 0.9, p99 ≤ 1.5×)
 * 2. reads: list with a filter and get at 10,000 recommendations vs bare `pg` (goal: p99 < 25 ms, ≤ 1.5×)
 * 3. lifecycle: N × 32 nations raise → closed; per minute, history length, worker peak RSS;
 *    open: worker RSS with --open recommendations open at once (goal: < 512 MiB at 1,000)
 * 4. reminders: 1,024 reminders due in the same second, delay to SMTP acceptance (goal: p99 < 5 s)
 * 5. texts: 32 answers on a 200,000-character text vs a one-line one (goal ≤ 1.1×), history bytes per lifecycle
 * 6. overhead: the cheapest authenticated route vs a bare node:http server (what a request costs the API)
 * 7. flood: 100,000 hostile requests at concurrency 16 on the API and the link pages, production rate limits,
 *    beside a legitimate caller (goal: no 5xx, no data changed, its p99 ≤ 2× its quiet p99)
 * reminders2: the reminder burst again with two worker processes (each identity still sent once)
 * soak (only when named): --soak 1000 recommendations × 32 nations over --soak-minutes 30, with
 *   reminders, overdue notices and progress reports due throughout (goal: zero 503s, zero workflow-task timeouts)
 * sync (only when named, ~8 min): how another system keeps up. The whole change feed (≥ --sync-events 20,000,
 *   made through the API) read from the start through `GET /api/v1/events?limit=500` vs bare `pg` keyset-paged
 *   (events/s); webhook lag p50/p99 and drain time for a burst of --burst 1,024 positions vs a bare undici POST
 *   loop to the same kind of receiver on the burst's schedule; command p50/p99 with 5 subscriptions vs none
 * cluster (only when named): the commands part and --cluster-n 50 lifecycles on a Temporal cluster (frontend,
 *   matching, worker, two history hosts on PostgreSQL) against the dev server, in the same run; then the
 *   lifecycles again with one history host SIGKILLed, and the cluster's processes at rest (memory, CPU)
 *
 * Command round trips are also set against the floor: an update whose handler returns at once (goal p50 ≤ 3×).
 */
import { cpus, totalmem } from 'node:os';
import { installExitHandlers, shutdown } from './stack';
import { sleep } from '../libs/testing/src/wait';
import { log, ms, startStack, writeJson } from './bench/common';
import { benchCommands, type CommandResult } from './bench/commands';
import { benchLifecycle, benchOpen, type LifecycleResult, type OpenResult } from './bench/lifecycle';
import { benchReads, type ReadResult } from './bench/reads';
import { benchReminders, type ReminderResult } from './bench/reminders';
import { benchTexts, type TextsResult } from './bench/texts';
import { benchOverhead, type OverheadResult } from './bench/overhead';
import { benchSoak, type SoakBenchResult } from './bench/soak';
import { benchFlood, type FloodResult } from './bench/flood';
import { benchCluster, type ClusterBenchResult } from './bench/cluster';
import { benchSync, type SyncResult } from './bench/sync';

const PARTS = [
  'overhead',
  'commands',
  'texts',
  'lifecycle',
  'reminders',
  'reminders2',
  'flood',
  'reads',
  'open',
] as const;
/**
 * Parts that run only when named in --only (the soak takes about half an hour; the cluster starts one;
 * sync makes 20,000 events first).
 */
const NAMED_ONLY = ['soak', 'cluster', 'sync'] as const;
type Part = (typeof PARTS)[number] | (typeof NAMED_ONLY)[number];

function arg(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
const num = (name: string, fallback: number) => Number(arg(name) ?? fallback);

interface Results {
  startedAt: string;
  machine: { cpus: number; model: string; memoryGiB: number; node: string };
  options: Record<string, unknown>;
  commands?: CommandResult;
  lifecycle?: LifecycleResult;
  open?: OpenResult;
  reminders?: ReminderResult;
  reads?: ReadResult;
  texts?: TextsResult;
  overhead?: OverheadResult;
  reminders2?: ReminderResult;
  soak?: SoakBenchResult;
  flood?: FloodResult;
  cluster?: ClusterBenchResult;
  sync?: SyncResult;
  errors: Record<string, string>;
}

function table(r: Results): string {
  const rows: string[][] = [['figure', 'measured', 'baseline', 'ratio', 'goal']];
  const c = r.commands;
  if (c) {
    rows.push([
      `command round trip p50 (consensus position, concurrency ${c.concurrency}, ${c.operations} ops)`,
      ms(c.api.p50),
      `${ms(c.sdk.p50)} (bare executeUpdate)`,
      (c.api.p50 / c.sdk.p50).toFixed(2),
      '',
    ]);
    rows.push([
      'command round trip p99',
      ms(c.api.p99),
      ms(c.sdk.p99),
      (c.api.p99 / c.sdk.p99).toFixed(2),
      `≤ 1.5× ${c.api.p99 / c.sdk.p99 <= 1.5 ? '✔' : '✘'}`,
    ]);
    rows.push([
      'command round trip p50 vs the floor (an update that returns at once)',
      ms(c.api.p50),
      `${ms(c.floor.p50)} (no-op update)`,
      (c.api.p50 / c.floor.p50).toFixed(2),
      `≤ 3× ${c.api.p50 / c.floor.p50 <= 3 ? '✔' : '✘'}`,
    ]);
    rows.push([
      'command round trip p99 vs the floor',
      ms(c.api.p99),
      ms(c.floor.p99),
      (c.api.p99 / c.floor.p99).toFixed(2),
      '',
    ]);
    rows.push([
      'command throughput',
      `${c.api.throughput.toFixed(1)}/s`,
      `${c.sdk.throughput.toFixed(1)}/s`,
      c.throughputRatio.toFixed(2),
      `≥ 0.9 ${c.throughputRatio >= 0.9 ? '✔' : '✘'}`,
    ]);
    rows.push([
      'command without Idempotency-Key: p50 / p99',
      `${ms(c.apiNoKey.p50)} / ${ms(c.apiNoKey.p99)}`,
      `${ms(c.sdk.p50)} / ${ms(c.sdk.p99)}`,
      `${(c.apiNoKey.p50 / c.sdk.p50).toFixed(2)} / ${(c.apiNoKey.p99 / c.sdk.p99).toFixed(2)}`,
      '',
    ]);
    rows.push([
      'command without Idempotency-Key: throughput',
      `${c.apiNoKey.throughput.toFixed(1)}/s`,
      `${c.sdk.throughput.toFixed(1)}/s`,
      (c.apiNoKey.throughput / c.sdk.throughput).toFixed(2),
      '',
    ]);
  }
  for (const route of r.reads?.routes ?? []) {
    rows.push([
      `${route.route} p50 (${r.reads!.recommendations} recs)`,
      ms(route.api.p50),
      `${ms(route.pg.p50)} (bare pg)`,
      route.ratioP50.toFixed(2),
      '',
    ]);
    rows.push([
      `${route.route} p99`,
      ms(route.api.p99),
      ms(route.pg.p99),
      route.ratioP99.toFixed(2),
      route.route.startsWith('GET /api/v1/recommendations?')
        ? `≤ 1.25× ${route.ratioP99 <= 1.25 ? '✔' : '✘'}`
        : `≤ 1.5× ${route.ratioP99 <= 1.5 ? '✔' : '✘'}`,
    ]);
  }
  const l = r.lifecycle;
  if (l) {
    rows.push([
      `lifecycles raise → closed (${l.recommendations} × ${l.nations} nations, ${l.commands} commands)`,
      `${l.perMinute.toFixed(1)}/min`,
      `${l.wallSeconds.toFixed(0)} s wall`,
      '',
      '',
    ]);
    rows.push([
      'history length per recommendation (p50 / max)',
      `${l.historyLength.p50} / ${l.historyLength.max} events`,
      'Temporal limit 51,200',
      (l.historyLength.max / 51_200).toFixed(3),
      '',
    ]);
    rows.push([
      "commands answered 503 (past the API's Temporal deadline), sent again with their key",
      String(l.retries),
      '0',
      '',
      '',
    ]);
    rows.push([
      'workflow tasks timed out (taken by the worker, not completed in 10 s)',
      String(l.workflowTasksTimedOut),
      '0',
      '',
      '',
    ]);
    rows.push([
      'workflow tasks failed / whole-history replays (worker cache misses) / forced evictions',
      `${l.tasks.failed.length} / ${l.tasks.replays} / ${l.cache.forcedEvictions}`,
      '0 / 0 / 0',
      '',
      '',
    ]);
    rows.push([
      'workflow task held by the worker p50 / p99 / max (cached run)',
      `${ms(l.tasks.cached.p50)} / ${ms(l.tasks.cached.p99)} / ${ms(l.tasks.cached.max)}`,
      '',
      '',
      '',
    ]);
    rows.push([
      'workflow task held by the worker p50 / max (replaying the whole history)',
      `${ms(l.tasks.replayed.p50)} / ${ms(l.tasks.replayed.max)}`,
      '',
      '',
      '',
    ]);
    rows.push([
      'worker peak RSS during lifecycles (sampled / VmHWM)',
      `${l.workerPeakRssMiB.toFixed(0)} / ${l.workerHwmMiB.toFixed(0)} MiB`,
      '',
      '',
      '',
    ]);
  }
  const o = r.open;
  for (const p of o?.curve ?? [])
    rows.push([
      `worker RSS at ${p.open} open (cache ${Number.isNaN(o!.cacheSize) ? 'default' : o!.cacheSize}), raises/s since the last point`,
      `${p.workerRssMiB.toFixed(0)} MiB`,
      `${p.raisesPerSecond.toFixed(1)}/s`,
      '',
      `< 512 MiB ${p.workerHwmMiB < 512 ? '✔' : '✘'}`,
    ]);
  if (o)
    rows.push([
      `worker RSS with ${o.open} open recommendations (now / VmHWM)`,
      `${o.workerRssMiB.toFixed(0)} / ${o.workerHwmMiB.toFixed(0)} MiB`,
      '512 MiB',
      (o.workerHwmMiB / 512).toFixed(2),
      `< 512 MiB ${o.workerHwmMiB < 512 ? '✔' : '✘'}${o.open < 1000 ? ' (at fewer than 1,000)' : ''}`,
    ]);
  const m = r.reminders;
  if (m) {
    rows.push([
      `reminders due in the same second → SMTP accepted (${m.delivered}/${m.reminders}) p50`,
      ms(m.delayMs.p50),
      ms(m.bare.delayMs.p50),
      (m.delayMs.p50 / m.bare.delayMs.p50).toFixed(2),
      '',
    ]);
    rows.push([
      `reminder delay p99 / max (baseline: bare SMTP, ${m.bare.connections} connections, same MailDev)`,
      `${ms(m.delayMs.p99)} / ${ms(m.delayMs.max)}`,
      `${ms(m.bare.delayMs.p99)} / ${ms(m.bare.delayMs.max)}`,
      (m.delayMs.p99 / m.bare.delayMs.p99).toFixed(2),
      `≤ 2× ${m.delayMs.p99 / m.bare.delayMs.p99 <= 2 ? '✔' : '✘'}`,
    ]);
    const c = m.commandsDuringBurst;
    rows.push([
      `command during the burst (WG position, ${c.count} one at a time, ${c.overOneSecond} over 1 s) p50 / p99 / max`,
      `${ms(c.p50)} / ${ms(c.p99)} / ${ms(c.max)}`,
      '1 s',
      (c.max / 1000).toFixed(2),
      `each ≤ 1 s ${c.max <= 1000 ? '✔' : '✘'}`,
    ]);
  }
  const m2 = r.reminders2;
  if (m2 && m) {
    rows.push([
      `reminder delay p99, ${m2.workers} workers (MailDev: ${m2.received.messages} messages, ${m2.received.messageIds} Message-IDs for ${m2.reminders})`,
      ms(m2.delayMs.p99),
      `${ms(m.delayMs.p99)} (1 worker)`,
      (m2.delayMs.p99 / m.delayMs.p99).toFixed(2),
      `faster, each once ${m2.delayMs.p99 < m.delayMs.p99 && m2.received.messageIds === m2.reminders ? '✔' : '✘'}`,
    ]);
  }
  const h = r.overhead;
  if (h) {
    rows.push([
      `GET /api/v1/me p50 (${h.samples} sequential)`,
      ms(h.api.p50),
      `${ms(h.bare.p50)} (bare node:http)`,
      h.ratioP50.toFixed(2),
      '',
    ]);
    rows.push(['GET /api/v1/me p99', ms(h.api.p99), ms(h.bare.p99), h.ratioP99.toFixed(2), '']);
  }
  const x = r.texts;
  if (x) {
    rows.push([
      `answer, 200,000-character text vs one-line text (32 in a row, after the submissions), mean`,
      ms(x.long.answerMs.mean),
      `${ms(x.short.answerMs.mean)} (one line)`,
      x.answerRatio.toFixed(2),
      `≤ 1.1× ${x.answerRatio <= 1.1 ? '✔' : '✘'}`,
    ]);
    rows.push([
      'get the same recommendation (the view an answer returns, text included), mean',
      ms(x.long.getMs.mean),
      `${ms(x.short.getMs.mean)} (one line)`,
      (x.long.getMs.mean / x.short.getMs.mean).toFixed(2),
      `answer gap ${ms(x.long.answerMs.mean - x.short.answerMs.mean)}, read gap ${ms(x.long.getMs.mean - x.short.getMs.mean)}`,
    ]);
    rows.push([
      '32 submissions (the text in each) accepted by SMTP, from the stage submitted',
      `${(x.long.submissionMailMs / 1000).toFixed(1)} s`,
      `${(x.short.submissionMailMs / 1000).toFixed(1)} s (one line)`,
      (x.long.submissionMailMs / x.short.submissionMailMs).toFixed(2),
      '',
    ]);
    rows.push([
      'history bytes per 32-nation lifecycle (200,000-character / one-line text, all runs)',
      `${(x.long.historyBytes / 1024).toFixed(0)} KiB (${x.long.historyEvents} events)`,
      `${(x.short.historyBytes / 1024).toFixed(0)} KiB (${x.short.historyEvents} events)`,
      (x.long.historyBytes / x.short.historyBytes).toFixed(2),
      '< 1 MiB',
    ]);
  }
  rows.push(...soakRows(r.soak), ...clusterRows(r.cluster), ...syncRows(r.sync));
  const f = r.flood;
  if (f) {
    const statuses = Object.entries(f.byStatus)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
    rows.push([
      `hostile requests (concurrency ${f.concurrency}, nice ${f.nice}, limit ${f.rateLimitPerMinute}/min per caller)`,
      `${f.sent} in ${f.wallSeconds.toFixed(0)} s (${f.perSecond.toFixed(0)}/s)`,
      `${f.requested} asked`,
      '',
      '',
    ]);
    rows.push(['hostile requests by status', statuses, '', '', `5xx: ${f.fiveXx} ${f.fiveXx === 0 ? '✔' : '✘'}`]);
    const q = f.legit.quiet;
    const d = f.legit.flood;
    rows.push([
      `legitimate caller p50 under the flood (${d.ops} requests; quiet: ${q.ops})`,
      ms(d.all.p50),
      `${ms(q.all.p50)} (quiet)`,
      f.legit.ratioP50.toFixed(2),
      '',
    ]);
    rows.push([
      'legitimate caller p99 under the flood',
      ms(d.all.p99),
      `${ms(q.all.p99)} (quiet)`,
      f.legit.ratioP99.toFixed(2),
      `≤ 2× ${f.legit.ratioP99 <= 2 ? '✔' : '✘'}`,
    ]);
    for (const op of ['position', 'read', 'link-page'] as const)
      rows.push([
        `  legitimate ${op} p50 / p99 (${d.byOp[op].ops} under the flood)`,
        `${ms(d.byOp[op].p50)} / ${ms(d.byOp[op].p99)}`,
        `${ms(q.byOp[op].p50)} / ${ms(q.byOp[op].p99)}`,
        (d.byOp[op].p99 / q.byOp[op].p99).toFixed(2),
        '',
      ]);
    const refused = Object.values(d.failures).reduce((a, n) => a + n, 0);
    rows.push([
      'legitimate requests refused under the flood (429 = unfair throttling)',
      refused === 0 ? '0' : JSON.stringify(d.failures),
      JSON.stringify(q.failures),
      '',
      `0 ${refused === 0 ? '✔' : '✘'}`,
    ]);
    rows.push([
      `data changed by a hostile request (${Object.keys(f.data.tables).length} tables, legitimate positions ${f.data.legitPositions.recorded}/${f.data.legitPositions.accepted})`,
      f.data.unchanged ? 'none' : `changed: ${f.data.changedTables.join(', ')}; hostile events ${f.data.hostileEvents}`,
      '',
      '',
      `unchanged ${f.data.unchanged ? '✔' : '✘'}`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map(
      (row, k) =>
        `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |${k === 0 ? `\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|` : ''}`,
    )
    .join('\n');
}

function clusterRows(c: ClusterBenchResult | undefined): string[][] {
  if (!c) return [];
  const rows: string[][] = [];
  const [dev, cl] = [c.dev, c.cluster];
  rows.push([
    `cluster: lifecycles per minute (${c.n} × 32 nations, raise → closed)`,
    `${cl.perMinute.toFixed(1)} (cluster)`,
    `${dev.perMinute.toFixed(1)} (dev server)`,
    (cl.perMinute / dev.perMinute).toFixed(2),
    '',
  ]);
  rows.push([
    'cluster: lifecycle commands p50 / p99',
    `${ms(cl.command.p50)} / ${ms(cl.command.p99)}`,
    `${ms(dev.command.p50)} / ${ms(dev.command.p99)}`,
    `${(cl.command.p50 / dev.command.p50).toFixed(2)} / ${(cl.command.p99 / dev.command.p99).toFixed(2)}`,
    '',
  ]);
  rows.push([
    'cluster: one lifecycle p50 / p99',
    `${(cl.lifecycle.p50 / 1000).toFixed(1)} s / ${(cl.lifecycle.p99 / 1000).toFixed(1)} s`,
    `${(dev.lifecycle.p50 / 1000).toFixed(1)} s / ${(dev.lifecycle.p99 / 1000).toFixed(1)} s`,
    (cl.lifecycle.p50 / dev.lifecycle.p50).toFixed(2),
    '',
  ]);
  if (cl.commands && dev.commands)
    rows.push([
      'cluster: consensus positions (commands part) p50 / p99, throughput',
      `${ms(cl.commands.p50)} / ${ms(cl.commands.p99)}, ${cl.commands.throughput.toFixed(1)}/s`,
      `${ms(dev.commands.p50)} / ${ms(dev.commands.p99)}, ${dev.commands.throughput.toFixed(1)}/s`,
      (cl.commands.throughput / dev.commands.throughput).toFixed(2),
      '',
    ]);
  if (cl.commands && dev.commands)
    rows.push([
      'cluster: the API against bare executeUpdate on the same engine: throughput, p99 (ratios)',
      `${(cl.commands.throughput / cl.commands.sdkThroughput).toFixed(2)}, ${(cl.commands.p99 / cl.commands.sdkP99).toFixed(2)} (cluster)`,
      `${(dev.commands.throughput / dev.commands.sdkThroughput).toFixed(2)}, ${(dev.commands.p99 / dev.commands.sdkP99).toFixed(2)} (dev server)`,
      '',
      '',
    ]);
  rows.push([
    'cluster: retries (503) / workflow tasks timed out',
    `${cl.retries} / ${cl.workflowTasksTimedOut}`,
    `${dev.retries} / ${dev.workflowTasksTimedOut}`,
    '',
    '',
  ]);
  const k = c.kill;
  rows.push([
    `cluster: history host SIGKILLed at ${k.killedAfterSeconds.toFixed(0)} s: lifecycles per minute`,
    k.perMinute.toFixed(1),
    `${cl.perMinute.toFixed(1)} (undisturbed)`,
    (k.perMinute / cl.perMinute).toFixed(2),
    '',
  ]);
  rows.push([
    `cluster: the ${k.inFlight} lifecycles in flight at the kill, mean duration (cost per lifecycle)`,
    `${(k.inFlightMean / 1000).toFixed(1)} s (+${k.costSeconds.toFixed(1)} s)`,
    `${(k.undisturbedMean / 1000).toFixed(1)} s (undisturbed)`,
    (k.inFlightMean / k.undisturbedMean).toFixed(2),
    '',
  ]);
  rows.push([
    'cluster: with the kill, retries (503) / workflow tasks timed out',
    `${k.retries} / ${k.workflowTasksTimedOut}`,
    '',
    '',
    '',
  ]);
  for (const x of c.resting.processes)
    rows.push([
      `cluster at rest (${c.resting.seconds} s): ${x.name}`,
      `${x.rssMiB.toFixed(0)} MiB`,
      `${x.cpuPercent.toFixed(1)}% of a core`,
      '',
      '',
    ]);
  return rows;
}

function syncRows(s: SyncResult | undefined): string[][] {
  if (!s) return [];
  const perSecond = (v: number) => `${v.toFixed(0)} events/s`;
  const f = s.feed;
  const b = s.burst;
  const k = b.breakdown;
  const x = s.subscriptions;
  const pair = (l: { p50: number; p99: number }) => `${ms(l.p50)} / ${ms(l.p99)}`;
  return [
    [
      `sync: whole change feed read from the start (${f.events} events, limit ${f.pageSize}, ${f.api.pages} pages, median of ${f.passes})`,
      `${perSecond(f.api.eventsPerSecond)} (${(f.api.ms / 1000).toFixed(2)} s)`,
      `${perSecond(f.pg.eventsPerSecond)} (bare pg, (tx, id) keyset)`,
      f.ratio.toFixed(2),
      '',
    ],
    [
      'sync: the same rows by bare pg in id order (ORDER BY id LIMIT 500, keyset)',
      perSecond(f.api.eventsPerSecond),
      perSecond(f.pgById.eventsPerSecond),
      f.ratioById.toFixed(2),
      '',
    ],
    [
      `sync: webhook lag p50 (event at → receiver; ${b.events} events: ${b.commands} positions at concurrency ${b.concurrency} in ${b.commandSeconds.toFixed(1)} s)`,
      ms(b.webhook.p50),
      `${ms(b.bare.p50)} (bare POST loop, same schedule)`,
      b.ratioP50.toFixed(2),
      '',
    ],
    [
      'sync: webhook lag p99 / max',
      `${ms(b.webhook.p99)} / ${ms(b.webhook.max)}`,
      `${ms(b.bare.p99)} / ${ms(b.bare.max)}`,
      b.ratioP99.toFixed(2),
      '',
    ],
    [
      'sync: burst drained (last arrival − first command sent)',
      `${(b.webhook.drainMs / 1000).toFixed(2)} s`,
      `${(b.bare.drainMs / 1000).toFixed(2)} s`,
      b.ratioDrain.toFixed(2),
      '',
    ],
    [
      'sync: where it goes p50 / p99: event at → committed (NOTIFY heard); committed → POST started; POST → received',
      `${pair(k.commit)}; ${pair(k.pickup)}; ${pair(k.post)}`,
      `bare POST ${pair(k.barePost)}`,
      '',
      '',
    ],
    [
      'sync: the command answered after its commit p50 / p99; webhook arrival − command answered p50 / p99',
      `${pair(k.answer)}; ${pair(b.fromAnswer)}`,
      '',
      '',
      '',
    ],
    [
      'sync: per delivery, its 3 statements alone by bare pg p50 / p99: read subscription; record attempt; advance',
      `${pair(k.statements.read)}; ${pair(k.statements.record)}; ${pair(k.statements.advance)}`,
      '',
      '',
      '',
    ],
    [
      `sync: delivery cycle, one POST start → the next, backlogged (${k.backlogged} pairs) p50 / p99; its POST`,
      `${pair(k.cycle)}; POST ${pair(k.cyclePost)}`,
      '',
      '',
      '',
    ],
    [
      `sync: commands p50 with ${x.count} subscriptions (${x.operations} positions each way, concurrency ${x.concurrency})`,
      ms(x.five.p50),
      `${ms(x.none.p50)} (none)`,
      x.ratioP50.toFixed(2),
      '',
    ],
    ['sync: commands p99', ms(x.five.p99), ms(x.none.p99), x.ratioP99.toFixed(2), ''],
    [
      'sync: commands throughput / errors',
      `${x.five.throughput.toFixed(1)}/s / ${x.five.errors}`,
      `${x.none.throughput.toFixed(1)}/s / ${x.none.errors}`,
      (x.five.throughput / x.none.throughput).toFixed(2),
      '',
    ],
    [
      `sync: lag of the ${x.delivered} deliveries to the ${x.count} receivers p50 / p99 / max; last arrival − last answer`,
      `${pair(x.lag)} / ${ms(x.lag.max)}`,
      `${(x.lag.drainMs / 1000).toFixed(2)} s`,
      '',
      '',
    ],
  ];
}

function soakRows(s: SoakBenchResult | undefined): string[][] {
  if (!s) return [];
  const zero = (n: number) => `0 ${n === 0 ? '✔' : '✘'}`;
  const rows = [
    [
      `soak: ${s.lifecycles} × 32 nations over ${s.minutes} min (unit ${s.unitSeconds} s), ended right`,
      `${s.endedRight} / ${s.lifecycles}`,
      `${s.wallSeconds.toFixed(0)} s wall`,
      '',
      `${s.lifecycles} ${s.endedRight === s.lifecycles ? '✔' : '✘'}`,
    ],
    ['soak: commands answered 503 (each sent again with its key)', String(s.answered503), '', '', zero(s.answered503)],
    ['soak: other answers than 2xx', String(s.failures.length), '', '', zero(s.failures.length)],
    [
      'soak: workflow tasks timed out / failed (all histories)',
      `${s.tasks.timedOut.length} / ${s.tasks.failed.length}`,
      `${s.tasks.tasks} tasks`,
      '',
      zero(s.tasks.timedOut.length + s.tasks.failed.length),
    ],
    [
      'soak: whole-history replays / forced cache evictions',
      `${s.tasks.replays} / ${s.cache.forcedEvictions}`,
      '',
      '',
      '',
    ],
    [
      'soak: workflow task held p99 / max (cached run)',
      `${ms(s.tasks.cached.p99)} / ${ms(s.tasks.cached.max)}`,
      '',
      '',
      '',
    ],
    [
      'soak: worker peak RSS (sampled / VmHWM)',
      `${s.workerPeakRssMiB.toFixed(0)} / ${s.workerHwmMiB.toFixed(0)} MiB`,
      '',
      '',
      '',
    ],
    [
      'soak: mail sent / dropped / skipped / failed / still pending; delivered; duplicated',
      `${s.mail.byStatus.sent ?? 0} / ${s.mail.byStatus.dropped ?? 0} / ${s.mail.byStatus.skipped ?? 0} / ${s.mail.byStatus.failed ?? 0} / ${s.mail.byStatus.pending ?? 0}; ${s.mail.delivered}; ${s.mail.duplicated}`,
      '',
      '',
      zero(s.mail.duplicated),
    ],
  ];
  for (const [kind, c] of Object.entries(s.commands)) {
    rows.push([
      `soak: ${kind} p50 / p99 (${c.count}, ${c.answered503} answered 503)`,
      `${ms(c.p50)} / ${ms(c.p99)}`,
      '',
      '',
      '',
    ]);
  }
  return rows;
}

async function main(): Promise<void> {
  installExitHandlers({ signalExitCode: 130 });
  const only = (arg('only')?.split(',') ?? [...PARTS]) as Part[];
  const unknown = only.filter((p) => !([...PARTS, ...NAMED_ONLY] as string[]).includes(p));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}: ${[...PARTS, ...NAMED_ONLY].join(', ')}`);
  const options = {
    n: num('n', 200),
    open: num('open', 1000),
    concurrency: num('concurrency', 8),
    rows: num('rows', 10_000),
    samples: num('samples', 500),
    only,
  };
  const results: Results = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '?',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    options,
    errors: {},
  };
  const stack = await startStack({
    temporalPort: num('temporal-port', 7297),
    smtpPort: num('smtp-port', 1727),
    mailWebPort: num('mail-web-port', 1787),
    database: arg('database') ?? 'dipb_bench',
    apiPort: num('api-port', 3797),
  });
  const run = async <K extends Part>(part: K, fn: () => Promise<unknown>) => {
    if (!only.includes(part)) return;
    const started = Date.now();
    try {
      (results as unknown as Record<string, unknown>)[part] = await fn();
      log(`${part}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } catch (err) {
      results.errors[part] = err instanceof Error ? err.message : String(err);
      log(`${part}: FAILED: ${results.errors[part]}`);
    }
  };
  try {
    await run('overhead', () => benchOverhead(stack, { samples: num('overhead-samples', 2000) }));
    await run('commands', () => benchCommands(stack, { concurrency: options.concurrency }));
    await run('texts', () => benchTexts(stack));
    await run('lifecycle', () => benchLifecycle(stack, { n: options.n }));
    await run('reminders', () =>
      benchReminders(stack, { recommendations: num('reminder-recs', 32), leadSeconds: num('lead', 90) }),
    );
    await run('reminders2', async () => {
      await stack.addWorker();
      return benchReminders(stack, {
        recommendations: num('reminder-recs', 32),
        leadSeconds: num('lead', 90),
        workers: 2,
        withBaseline: false,
      });
    });
    await run('flood', () =>
      benchFlood(stack, {
        requests: num('flood', 100_000),
        seconds: num('flood-seconds', 300),
        concurrency: num('flood-concurrency', 16),
        legitSeconds: num('legit-seconds', 30),
        nice: num('flood-nice', 10),
      }),
    );
    // Before reads (which stops the worker): the webhooks are delivered by it.
    await run('sync', () => benchSync(stack, { events: num('sync-events', 20_000), burst: num('burst', 1024) }));
    await run('reads', async () => {
      // Reads need only the API and PostgreSQL: stop the worker so the tail is not the worker's
      // catch-up (the punctuality part leaves 32 silences expiring and ~1,000 approval calls to send).
      await stack.stopWorkers();
      await sleep(5000);
      return benchReads(stack, { rows: options.rows, samples: options.samples });
    });
    await run('cluster', () => benchCluster(stack, { n: num('cluster-n', 50) }));
    await run('soak', () =>
      benchSoak(stack, {
        lifecycles: num('soak', 1000),
        minutes: num('soak-minutes', 30),
        unitSeconds: num('soak-unit', 5),
      }),
    );
    // Last: its 1,000 consensus calls (32,000 messages) are still going out when it ends.
    await run('open', () => benchOpen(stack, { open: options.open }));
  } finally {
    await stack.close();
    await shutdown();
  }
  const file = writeJson(`bench-${results.startedAt.replace(/[:.]/g, '-')}.json`, results);
  process.stdout.write(`\n${table(results)}\n\n`);
  if (results.flood)
    process.stdout.write(`hostile requests by kind and status: ${JSON.stringify(results.flood.byKind)}\n`);
  if (results.flood?.examples5xx.length)
    process.stdout.write(`5xx examples: ${JSON.stringify(results.flood.examples5xx, null, 1)}\n`);
  if (Object.keys(results.errors).length) process.stdout.write(`failed parts: ${JSON.stringify(results.errors)}\n`);
  process.stdout.write(`written to ${file}\n`);
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await shutdown();
    process.exit(1);
  },
);
