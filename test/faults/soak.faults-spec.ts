import { Client as Pg } from 'pg';
import { header, messageId, runSoak, workflowTaskStats, type SoakResult } from '@app/testing';
import { temporalClient } from '../lifecycle.helpers';
import { say, scenario } from './faults.helpers';

/**
 * The bench's soak (`npm run bench -- --only soak`), short enough for CI: recommendations × 32
 * nations arriving together, each from raise to closed while reminders, overdue notices, an escalation
 * and progress requests fall due. The load is the fault: it is proven by the messages of every kind
 * that went out while commands were being answered.
 */
describe('faults: a short soak (sustained load with deadlines falling due throughout)', () => {
  const s = scenario();
  const LIFECYCLES = 12;
  let run: SoakResult;

  it('answers every command without a 503, and ends every recommendation right', async () => {
    run = await runSoak(s.api, {
      lifecycles: LIFECYCLES,
      unitMs: 2000,
      spreadMs: 20_000,
      progress: (line) => say(`[soak] ${line}`),
    });
    const answered503 = Object.values(run.commands).reduce((n, c) => n + c.answered503, 0);
    const counts = Object.entries(run.commands).map(([kind, c]) => `${kind} ${c.count}`);
    say(`[soak] commands: ${counts.join(', ')}; answered 503: ${answered503}; other failures: ${run.failures.length}`);
    say(`[soak] ended right: ${run.endedRight}/${LIFECYCLES} in ${(run.wallMs / 1000).toFixed(0)} s`);
    for (const line of run.unavailable) say(`[soak] 503: ${line}`);
    expect(run.failures).toEqual([]);
    expect(run.unavailable).toEqual([]);
    expect(answered503).toBe(0);
    expect(run.endedWrong).toEqual([]);
    expect(run.endedRight).toBe(LIFECYCLES);
  });

  it('sent every kind of timed message during the load, each once', async () => {
    const mine = new Set(run.references);
    const mails = (await s.d.mail.all()).filter((m) => mine.has(header(m, 'x-dipb-reference') ?? ''));
    const byKind = new Map<string, number>();
    for (const m of mails) {
      const kind = header(m, 'x-dipb-notification') ?? '?';
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    const ids = mails.map((m) => messageId(m));
    say(
      `[soak] mail: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}; duplicated: ${ids.length - new Set(ids).size}`,
    );
    // The load had deadlines falling due throughout: reminders, overdue notices, escalations and progress requests went out.
    for (const kind of [
      'consensus-reminder',
      'response-reminder',
      'response-overdue',
      'escalation',
      'progress-request',
    ])
      expect(byKind.get(kind) ?? 0).toBeGreaterThan(0);
    expect(ids.length - new Set(ids).size).toBe(0);
  });

  it('left no outbox row pending: each message composed ahead was sent or dropped', async () => {
    // Each run completes after its last notices (it follows the runs it continued as new).
    const { client, close } = await temporalClient();
    try {
      await Promise.all(run.references.map((ref) => client.workflow.getHandle(ref).result()));
    } finally {
      await close();
    }
    const pg = new Pg({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ status: string; kind: string; n: number }>(
        `SELECT status, kind, count(*)::int AS n FROM notifications WHERE reference = ANY($1::text[]) GROUP BY 1, 2`,
        [run.references],
      );
      say(`[soak] outbox: ${rows.map((r) => `${r.kind} ${r.status} ${r.n}`).join(', ')}`);
      expect(rows.filter((r) => r.status === 'pending')).toEqual([]);
      expect(rows.some((r) => r.status === 'sent')).toBe(true);
    } finally {
      await pg.end();
    }
  });

  it('had no workflow task time out or fail, in any history', async () => {
    const { client, close } = await temporalClient();
    try {
      const tasks = await workflowTaskStats(client, run.references);
      say(
        `[soak] workflow tasks: ${tasks.tasks}, timed out ${tasks.timedOut.length}, failed ${tasks.failed.length}, whole-history replays ${tasks.replays}; held p99 ${tasks.cached.p99} ms`,
      );
      expect(tasks.histories).toBe(LIFECYCLES);
      expect(tasks.timedOut).toEqual([]);
      expect(tasks.failed).toEqual([]);
    } finally {
      await close();
    }
  });
});
