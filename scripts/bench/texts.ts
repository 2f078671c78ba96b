/**
 * 5. Texts out of history: the same 32-nation lifecycle with a one-line text and with a
 * 200,000-character one (the longest the API accepts). The 32 directors' answers are timed one
 * after another on each (goal: the long text costs ≤ 1.1× the short one per answer), once the 32
 * submissions (each carrying the text) are out: the answers never wait on that mail, but on two
 * cores they would share the CPU with it, which measures the mail, not the command path. How long
 * the submissions took is kept beside. The history each lifecycle leaves in Temporal (every run) is
 * measured in bytes.
 */
import { NATION_CODES, TEXT_LIMITS, type NationCode } from '@app/domain';
import { temporal } from '@temporalio/proto';
import { Client as PgClient } from 'pg';
import { call, eventually } from '../../libs/testing/src';
import { benchPolicy, expect2xx, log, percentile, raiseVia, tokens, type BenchStack } from './common';

export interface TextRun {
  textLength: number;
  /** The 32 answers, one after another, through the API. */
  answerMs: { p50: number; p99: number; mean: number };
  /** From the stage `submitted` to the 32 submissions accepted by SMTP. */
  submissionMailMs: number;
  /** 32 reads of the same recommendation (the view the answers return, text included): the payload alone. */
  getMs: { mean: number };
  historyBytes: number;
  historyEvents: number;
  runs: number;
}

export interface TextsResult {
  short: TextRun;
  long: TextRun;
  /** long / short, mean time per answer. */
  answerRatio: number;
}

const POLICY = benchPolicy('PT15S');

function longText(): string {
  const filler = 'Allies should pool demand for propellant and energetics, and share forecasts. ';
  return filler.repeat(Math.ceil(TEXT_LIMITS.body / filler.length)).slice(0, TEXT_LIMITS.body);
}

async function historyOf(stack: BenchStack, ref: string): Promise<{ bytes: number; events: number; runs: number }> {
  let bytes = 0;
  let events = 0;
  let runs = 0;
  for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${ref}'` })) {
    const history = await stack.client.workflow.getHandle(ref, run.runId).fetchHistory();
    bytes += temporal.api.history.v1.History.encode(history).finish().length;
    events += history.events?.length ?? 0;
    runs += 1;
  }
  return { bytes, events, runs };
}

async function oneLifecycle(stack: BenchStack, body: string, label: string): Promise<TextRun> {
  const nations = NATION_CODES as readonly NationCode[];
  const t = await tokens(nations);
  const ref = await raiseVia(stack.api, t.secretariat, { title: `Text bench (${label})`, body, policy: POLICY });
  expect2xx(
    await call(stack.api, 'POST', `/api/v1/recommendations/${ref}/consensus`, {
      token: t.secretariat,
      body: { silence: 'PT15S' },
    }),
    'consensus',
  );
  await eventually(
    async () => {
      const res = await call<{ stage: string }>(stack.api, 'GET', `/api/v1/recommendations/${ref}`, {
        token: t.secretariat,
      });
      return res.status === 200 && res.body.stage === 'submitted';
    },
    120_000,
    250,
  );
  const submitted = performance.now();
  const db = new PgClient({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    await eventually(
      async () => {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM notifications WHERE reference = $1 AND kind = 'submission' AND status = 'sent'`,
          [ref],
        );
        return rows[0]?.n === nations.length;
      },
      120_000,
      100,
    );
  } finally {
    await db.end();
  }
  const submissionMailMs = performance.now() - submitted;
  const latencies: number[] = [];
  for (const nation of nations) {
    const decision = nation === 'ALB' ? 'not-accepted' : 'accepted';
    const t0 = performance.now();
    expect2xx(
      await call(stack.api, 'POST', `/api/v1/recommendations/${ref}/nations/${nation}/response`, {
        token: t.director.get(nation)!,
        body: { decision, comment: `${decision} by ${nation}` },
      }),
      'response',
    );
    latencies.push(performance.now() - t0);
  }
  const reads: number[] = [];
  for (let i = 0; i < nations.length; i += 1) {
    const t0 = performance.now();
    expect2xx(await call(stack.api, 'GET', `/api/v1/recommendations/${ref}`, { token: t.secretariat }), 'get');
    reads.push(performance.now() - t0);
  }
  for (const nation of nations.filter((n) => n !== 'ALB')) {
    expect2xx(
      await call(stack.api, 'POST', `/api/v1/recommendations/${ref}/nations/${nation}/progress`, {
        token: t.director.get(nation)!,
        body: { status: 'implemented', comment: 'Done' },
      }),
      'progress',
    );
  }
  await eventually(
    async () => {
      for await (const run of stack.client.workflow.list({
        query: `WorkflowId = '${ref}' AND ExecutionStatus = 'Running'`,
      }))
        return run ? undefined : true;
      return true;
    },
    120_000,
    500,
  );
  const history = await historyOf(stack, ref);
  log(
    `texts: ${label} text (${body.length} chars): ${ref} closed; 32 submissions out in ${(submissionMailMs / 1000).toFixed(1)} s; history ${history.runs} run(s), ${(history.bytes / 1024).toFixed(0)} KiB, ${history.events} events`,
  );
  return {
    textLength: body.length,
    answerMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    },
    submissionMailMs,
    getMs: { mean: reads.reduce((a, b) => a + b, 0) / reads.length },
    historyBytes: history.bytes,
    historyEvents: history.events,
    runs: history.runs,
  };
}

export async function benchTexts(stack: BenchStack): Promise<TextsResult> {
  log('texts: a 32-nation lifecycle with a one-line text, then with a 200,000-character text');
  await oneLifecycle(stack, 'Warm-up.', 'warm-up');
  const short = await oneLifecycle(stack, 'One line.', 'one-line');
  const long = await oneLifecycle(stack, longText(), '200,000-character');
  return { short, long, answerRatio: long.answerMs.mean / short.answerMs.mean };
}
