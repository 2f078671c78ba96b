import { spawnSync } from 'node:child_process';
import { Client as Pg } from 'pg';
import type { ScheduleHandle } from '@temporalio/client';
import type { RecommendationView } from '@app/domain';
import { DIGEST_SCHEDULE_ID, DIGEST_WORKFLOW_TYPE, type DigestResult } from '@app/temporal';
import { call, eventually, header, MailDevClient, sleep, startWorker, type CaughtEmail } from '@app/testing';
import { ensureTemporalCli } from '../scripts/stack';
import { e2eStack, expectOk, FAST_POLICY, raise, waitForStage } from './lifecycle.helpers';

const SECRETARIAT = process.env.SECRETARIAT_EMAIL ?? 'dipb-secretariat@example.nato.int';

/** MailDev also says when it received a message (`time`) and what came attached. */
type Mail = CaughtEmail & {
  time?: string;
  attachments?: { contentType: string; contentId?: string; generatedFileName?: string }[];
};

/** The figures of one digest, counted again here, straight from the tables, with the digest's own window. */
async function figuresFromDatabase(pg: Pg, window: DigestResult['window']): Promise<Record<string, number>> {
  const one = async (sql: string, params: unknown[]): Promise<number> =>
    (await pg.query<{ n: number }>(sql, params)).rows[0]!.n;
  const chased = `FROM recommendations r, jsonb_array_elements(r.view->'nations') x
                  WHERE r.stage IN ('submitted', 'follow-up') AND x->>'state' NOT IN ('not-accepted', 'implemented', 'not-implemented')
                    AND x->>'nextDue' IS NOT NULL`;
  return {
    answers: await one('SELECT count(*)::int AS n FROM national_responses WHERE at >= $1 AND at < $2', [
      window.from,
      window.to,
    ]),
    reports: await one('SELECT count(*)::int AS n FROM progress_reports WHERE at >= $1 AND at < $2', [
      window.from,
      window.to,
    ]),
    dueSoon: await one(
      `SELECT count(*)::int AS n ${chased} AND (x->>'nextDue')::timestamptz >= $1 AND (x->>'nextDue')::timestamptz < $2`,
      [window.to, window.horizon],
    ),
    overdue: await one(`SELECT count(*)::int AS n ${chased} AND (x->>'nextDue')::timestamptz < $1`, [window.to]),
    escalations: await one(
      `SELECT count(*)::int AS n FROM notifications WHERE kind = 'escalation' AND status = 'sent' AND sent_at >= $1 AND sent_at < $2`,
      [window.from, window.to],
    ),
  };
}

/** The counts the digest states at its top ("  3  answers received"). */
function figuresInMail(text: string): Record<string, number> {
  const count = (label: string): number => Number(new RegExp(`^\\s+(\\d+)\\s+${label}$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    answers: count('answers received'),
    reports: count('progress reports received'),
    dueSoon: count('due in the next 14 days'),
    overdue: count('overdue'),
    escalations: count('escalated'),
  };
}

/** One section of the plain-text part, e.g. "Overdue". */
function section(text: string, title: string): string {
  const start = text.indexOf(`== ${title}`);
  if (start < 0) throw new Error(`no section ${title} in:\n${text}`);
  const end = text.indexOf('\n== ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('weekly digest: a Temporal Schedule, one message per week', () => {
  const s = e2eStack();
  let schedule: ScheduleHandle;
  let pg: Pg;
  const mail = new MailDevClient();
  const since = Date.now();

  const digests = async (week: string): Promise<Mail[]> =>
    ((await mail.all()) as Mail[]).filter(
      (m) => header(m, 'x-dipb-digest-week') === week && new Date(m.time ?? 0).getTime() >= since - 1000,
    );

  /** The digest runs so far, as the Temporal UI lists them (a run's workflow id is the schedule's and its second, so runs are told apart by run id). */
  const runs = async (): Promise<{ workflowId: string; runId: string }[]> => {
    const found: { workflowId: string; runId: string }[] = [];
    for await (const w of s.temporal.client.workflow.list({ query: `WorkflowType = '${DIGEST_WORKFLOW_TYPE}'` }))
      found.push({ workflowId: w.workflowId, runId: w.runId });
    return found;
  };
  /** Waits for `n` runs besides those in `seen`, and returns their results, oldest first. */
  const newRuns = async (seen: { runId: string }[], n: number): Promise<DigestResult[]> => {
    const fresh = await eventually(async () => {
      const found = (await runs()).filter((r) => !seen.some((old) => old.runId === r.runId));
      return found.length >= n ? found.reverse() : undefined;
    }, 30_000);
    return Promise.all(
      fresh.map((r) =>
        s.temporal.client.workflow.getHandle<() => Promise<DigestResult>>(r.workflowId, r.runId).result(),
      ),
    );
  };

  beforeAll(async () => {
    schedule = s.temporal.client.schedule.getHandle(DIGEST_SCHEDULE_ID);
    pg = new Pg({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    // This week's row in the outbox is what keeps the digest to one a week. A run of this file
    // earlier against the same database (a developer's second run) left one: start from none.
    await pg.query(`DELETE FROM notifications WHERE kind = 'weekly-digest'`);
  });

  afterAll(async () => {
    await pg?.end();
  });

  it('exists once the worker has started: Monday 08:00 Brussels time, the weeklyDigest workflow; a restart leaves a paused schedule paused', async () => {
    const described = await schedule.describe();
    expect(described.spec.timezone).toBe('Europe/Brussels');
    expect(described.spec.calendars).toEqual([
      expect.objectContaining({
        dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }],
        hour: [{ start: 8, end: 8, step: 1 }],
        minute: [{ start: 0, end: 0, step: 1 }],
      }),
    ]);
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: DIGEST_WORKFLOW_TYPE,
      taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'dipb-recommendations',
    });
    expect(described.info.nextActionTimes[0]?.getUTCDay()).toBe(1);

    // An operator pauses it; the worker restarts; the schedule is still paused (created only when missing).
    await schedule.pause('paused by the test');
    await s.worker!.stop();
    s.worker = await startWorker();
    expect((await schedule.describe()).state).toMatchObject({ paused: true, note: 'paused by the test' });
    await schedule.unpause('resumed by the test');
  });

  it('triggered, sends one digest whose figures are the database’s; triggered twice more in the same week, sends nothing more', async () => {
    // A week with something in every section: answers, a progress report, an overdue nation escalated, a due date within 14 days.
    const { reference: chased } = await raise(s.api, s.who.secretariat, {
      title: 'Pool demand for propellant',
      nations: ['FRA', 'DEU', 'USA'],
      policy: { ...FAST_POLICY, autoSubmit: true },
    });
    const { reference: soon } = await raise(s.api, s.who.secretariat, {
      title: 'Common test procedures for radios',
      nations: ['ITA'],
      policy: { ...FAST_POLICY, autoSubmit: true, responseDue: 'P10D', responseReminders: ['P1D'] },
    });
    for (const ref of [chased, soon]) {
      expectOk(
        await call<RecommendationView>(s.api, 'POST', `/api/v1/recommendations/${ref}/consensus`, {
          token: s.who.secretariat,
          body: {},
        }),
      );
    }
    await Promise.all([chased, soon].map((ref) => waitForStage(s.api, s.who.secretariat, ref, 'submitted')));
    const post = (path: string, token: string, body: unknown) =>
      call<RecommendationView>(s.api, 'POST', `/api/v1/recommendations/${chased}${path}`, { token, body });
    expectOk(
      await post('/nations/FRA/response', await s.who.director('FRA'), { decision: 'accepted', comment: 'Accepté' }),
    );
    expectOk(
      await post('/nations/DEU/response', await s.who.director('DEU'), {
        decision: 'under-consideration',
        comment: 'Wir prüfen',
      }),
    );
    expectOk(
      await post('/nations/FRA/progress', await s.who.director('FRA'), {
        status: 'in-progress',
        percent: 40,
        comment: 'En cours',
      }),
    );
    // USA stays silent: overdue, then escalated to the secretariat.
    // (Recorded as sent in the outbox, not only arrived: SMTP accepts a moment before the outbox commits.)
    await eventually(
      async () =>
        (
          await pg.query(`SELECT 1 FROM notifications WHERE identity LIKE $1 AND status = 'sent'`, [
            `${chased}/escalation/secretariat/USA/%`,
          ])
        ).rowCount === 1,
      60_000,
    );

    // Temporal keeps a triggered run's nominal time to the second, and the digest's week ends there.
    await sleep(1100);
    const before = await runs();
    await schedule.trigger();
    const [first] = await newRuns(before, 1);
    if (!first) throw new Error('no run');
    expect(first).toMatchObject({ status: 'sent', address: SECRETARIAT });
    const [digest] = await eventually(async () => {
      const got = await digests(first.week);
      return got.length > 0 ? got : undefined;
    }, 20_000);
    if (!digest) throw new Error('no digest');
    expect(digest.to.map((t) => t.address)).toEqual([SECRETARIAT]);
    expect(header(digest, 'x-dipb-notification')).toBe('weekly-digest');
    expect(header(digest, 'message-id')).toBe(first.messageId);
    expect(digest.subject).toMatch(new RegExp(`^\\[DIPB\\] Weekly digest, week ${Number(first.week.slice(-2))} \\(`));

    // The counts at the top equal the database's, over the window the run reports.
    const text = digest.text ?? '';
    expect(figuresInMail(text)).toEqual(await figuresFromDatabase(pg, first.window));
    // And this test's own recommendations are on their lines, by recommendation and by nation.
    const answers = section(text, 'Answers received');
    expect(answers).toContain(`- ${chased} Pool demand for propellant\n`);
    expect(answers).toMatch(new RegExp(`\\n    FRA accepted \\(`));
    expect(answers).toMatch(new RegExp(`\\n    DEU under consideration \\(interim answer\\) \\(`));
    expect(answers).toMatch(new RegExp(`- FRA France\\n(    .*\\n)*    ${chased} accepted \\(`));
    expect(section(text, 'Progress reports received')).toMatch(
      new RegExp(`- ${chased} .*\\n(    .*\\n)*    FRA in progress, 40% \\(`),
    );
    expect(section(text, 'Overdue')).toMatch(new RegExp(`- USA United States\\n(    .*\\n)*    ${chased} answer due `));
    expect(section(text, 'Escalated to the secretariat')).toMatch(
      new RegExp(`- ${chased} .*\\n(    .*\\n)*    USA escalated `),
    );
    expect(section(text, 'Falls due in the next 14 days')).toMatch(
      new RegExp(`- ${soon} Common test procedures for radios\\n(    .*\\n)*    ITA answer due `),
    );
    // The chart: an inline PNG, its figures as text beside it.
    // (MailDev shows the cid: image inlined as a data: URL; the renderer's own test checks the cid.)
    expect(digest.html).toMatch(
      /<img src="[^"]+" width="544" alt="Bar chart of the acceptance and implementation rates per nation/,
    );
    expect(digest.attachments).toEqual([
      expect.objectContaining({ contentType: 'image/png', contentId: 'rates-per-nation@dipb.local' }),
    ]);
    expect(section(text, 'Acceptance and implementation rates per nation')).toMatch(
      /\n {2}France: acceptance rate \d+%, implementation rate /,
    );

    // The same week, twice more: through the operators' CLI, then through the client.
    const cli = await ensureTemporalCli();
    const seen = await runs();
    const triggered = spawnSync(
      cli,
      [
        'schedule',
        'trigger',
        '--schedule-id',
        DIGEST_SCHEDULE_ID,
        '--address',
        process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7243',
      ],
      { encoding: 'utf8' },
    );
    expect(triggered.status).toBe(0);
    await newRuns(seen, 1);
    await schedule.trigger();
    const later = await newRuns(seen, 2);
    expect(later.map((r) => [r.week, r.status, r.messageId])).toEqual([
      [first.week, 'already-sent', first.messageId],
      [first.week, 'already-sent', first.messageId],
    ]);
    expect(await digests(first.week)).toHaveLength(1);
    const rows = await pg.query(`SELECT identity, status, attempts FROM notifications WHERE kind = 'weekly-digest'`);
    expect(rows.rows).toEqual([{ identity: `weekly-digest/${first.week}`, status: 'sent', attempts: 1 }]);
  });
});
