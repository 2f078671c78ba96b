/**
 * 4. Reminder punctuality: 32 recommendations × 32 nations in WG consensus with the same silence
 * deadline instant and a reminder 30 s before it: 1,024 reminders fall due in the same second.
 * The delay from the due instant to SMTP acceptance is read from the outbox (`sent_at`, written
 * once the SMTP server has accepted the message, against `due_at`), and cross-checked in MailDev.
 */
import { temporal } from '@temporalio/proto';
import { Client as PgClient } from 'pg';
import { NATION_CODES, type NationCode, type NotificationRequest } from '@app/domain';
import { loadConfig } from '../../libs/config/src';
import { MailerService } from '../../libs/notifications/src/mailer.service';
import { NotificationRenderer } from '../../libs/notifications/src/notification-renderer';
import { call, sleep } from '../../libs/testing/src';
import {
  command,
  expect2xx,
  log,
  percentile,
  pool,
  raiseVia,
  tokens,
  waitForQuiet,
  type BenchStack,
  type Tokens,
} from './common';

export interface ReminderResult {
  /** Worker processes delivering. */
  workers: number;
  reminders: number;
  delivered: number;
  /** Messages MailDev received for these reminders, and their distinct Message-IDs (each identity once: equal to `reminders`). */
  received: { messages: number; messageIds: number };
  dueAt: string;
  delayMs: { p50: number; p99: number; max: number; min: number };
  lastDeliveredAfterMs: number;
  /** The floor: the same number of rendered reminders handed at once to the same SMTP server, bare. */
  bare: { connections: number; delayMs: { p50: number; p99: number; max: number } };
  /** Where the time went, per recommendation, from its history (ms; p50 / max over the recommendations). */
  stages: Record<'timerLate' | 'firedToSending' | 'firedToPersisted' | 'sending', { p50: number; max: number }>;
  /**
   * Commands sent during the burst, one at a time (a WG position on a recommendation outside the burst,
   * through the API, answered once in PostgreSQL): their round trips, ms. Goal: each within 1 s.
   */
  commandsDuringBurst: { count: number; p50: number; p99: number; max: number; overOneSecond: number };
}

/** Recommendations outside the burst that take the probe's positions, and how many nations of each speak (not all: consensus would end). */
const PROBE_RECOMMENDATIONS = 3;
const PROBE_NATIONS = 24;
/** How often the probe sends a command during the burst. */
const PROBE_EVERY_MS = 250;

export async function benchReminders(
  stack: BenchStack,
  { recommendations = 32, leadSeconds = 90, workers = 1, withBaseline = true } = {},
): Promise<ReminderResult> {
  const t = await tokens(NATION_CODES.slice(0, PROBE_NATIONS));
  log(`reminders: ${recommendations} recommendations × 32 nations, one silence deadline, reminder 30 s before`);
  // Commands during the burst go to these: in consensus, with no reminder near the burst.
  const probes = await pool(
    Array.from({ length: PROBE_RECOMMENDATIONS }, (_, i) => i),
    4,
    async (i) => {
      const ref = await raiseVia(stack.api, t.secretariat, {
        title: `Punctuality bench probe ${i}`,
        policy: { consensusSilence: 'P14D', silenceReminders: ['P1D'] },
      });
      const body = { deadline: new Date(Date.now() + 14 * 86_400_000).toISOString() };
      expect2xx(
        await call(stack.api, 'POST', `/api/v1/recommendations/${ref}/consensus`, { token: t.secretariat, body }),
        'probe consensus',
      );
      return ref;
    },
  );
  const refs = await pool(
    Array.from({ length: recommendations }, (_, i) => i),
    8,
    (i) =>
      raiseVia(stack.api, t.secretariat, {
        title: `Punctuality bench ${i}`,
        policy: { consensusSilence: 'P14D', silenceReminders: ['PT30S'] },
      }),
  );
  // The same deadline for all: whole seconds, far enough for every call (and its 1,024 consensus-call emails) to go out first.
  const deadline = new Date(Math.ceil((Date.now() + leadSeconds * 1000) / 1000) * 1000);
  const dueAt = new Date(deadline.getTime() - 30_000);
  await pool(refs, 8, async (ref) =>
    expect2xx(
      await call(stack.api, 'POST', `/api/v1/recommendations/${ref}/consensus`, {
        token: t.secretariat,
        body: { deadline: deadline.toISOString() },
      }),
      'consensus',
    ),
  );
  const expected = recommendations * 32;
  const db = new PgClient({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const calls = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE kind = 'consensus-call' AND status = 'sent' AND reference = ANY($1)`,
      [refs],
    );
    log(
      `reminders: ${calls.rows[0]?.n} consensus calls sent; ${expected} reminders due at ${dueAt.toISOString()} (in ${((dueAt.getTime() - Date.now()) / 1000).toFixed(0)} s)`,
    );
    if (dueAt.getTime() < Date.now()) throw new Error('the calls took longer than the lead time: raise --lead');
    let delays: number[] = [];
    const until = dueAt.getTime() + 180_000;
    const probe = commandsDuring(stack, t, probes, dueAt);
    for (;;) {
      const rows = await db.query<{ delay: number }>(
        `SELECT extract(epoch FROM (sent_at - due_at)) * 1000 AS delay FROM notifications
          WHERE kind = 'consensus-reminder' AND status = 'sent' AND reference = ANY($1)`,
        [refs],
      );
      delays = rows.rows.map((r) => Number(r.delay));
      if (delays.length >= expected || Date.now() > until) break;
      await sleep(1000);
    }
    const commandMs = await probe.stop();
    log(
      `reminders: ${commandMs.length} commands during the burst, p50 ${percentile(commandMs, 50).toFixed(0)} ms, max ${Math.max(...commandMs).toFixed(0)} ms; over 1 s: ${
        commandMs
          .filter((ms) => ms > 1000)
          .map((ms) => ms.toFixed(0))
          .join(', ') || 'none'
      }`,
    );
    const dueRows = await db.query<{ due: Date }>(
      `SELECT DISTINCT due_at AS due FROM notifications WHERE kind = 'consensus-reminder' AND reference = ANY($1)`,
      [refs],
    );
    if (dueRows.rows.length !== 1) log(`reminders: warning, ${dueRows.rows.length} distinct due instants`);
    const received = await receivedReminders(stack, refs);
    const stages = await stagesOf(stack, refs, dueAt);
    log(
      `reminders: timer late p50 ${stages.timerLate.p50} ms (max ${stages.timerLate.max}); fired → persisted p50 ${stages.firedToPersisted.p50} ms (max ${stages.firedToPersisted.max}); fired → sending p50 ${stages.firedToSending.p50} ms (max ${stages.firedToSending.max}); sending p50 ${stages.sending.p50} ms (max ${stages.sending.max})`,
    );
    let bare: ReminderResult['bare'] = { connections: 0, delayMs: { p50: NaN, p99: NaN, max: NaN } };
    if (withBaseline) {
      // The worker now prepares the next timer's messages (the approval calls): the floor is measured after.
      const waited = await waitForQuiet();
      log(`reminders: machine quiet after ${(waited / 1000).toFixed(0)} s; the bare baseline now`);
      bare = await bareSmtp(stack, expected);
    }
    return {
      workers,
      received,
      reminders: expected,
      delivered: delays.length,
      dueAt: dueAt.toISOString(),
      delayMs: {
        p50: percentile(delays, 50),
        p99: percentile(delays, 99),
        max: Math.max(...delays),
        min: Math.min(...delays),
      },
      lastDeliveredAfterMs: Math.max(...delays),
      bare,
      stages,
      commandsDuringBurst: {
        count: commandMs.length,
        p50: percentile(commandMs, 50),
        p99: percentile(commandMs, 99),
        max: commandMs.length ? Math.max(...commandMs) : NaN,
        overOneSecond: commandMs.filter((ms) => ms > 1000).length,
      },
    };
  } finally {
    await db.end();
  }
}

/**
 * From the due instant until stopped: a WG position every `PROBE_EVERY_MS` (one at a time, each nation of
 * each probe recommendation once), timed from request to answer.
 */
function commandsDuring(stack: BenchStack, t: Tokens, probes: string[], dueAt: Date): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let stopped = false;
  const speakers = probes.flatMap((ref) => NATION_CODES.slice(0, PROBE_NATIONS).map((nation) => ({ ref, nation })));
  const running = (async () => {
    await sleep(Math.max(0, dueAt.getTime() - Date.now()));
    for (const { ref, nation } of speakers) {
      if (stopped) return;
      const started = performance.now();
      const res = await command(stack.api, `/api/v1/recommendations/${ref}/consensus/positions`, t.wg.get(nation)!, {
        position: 'concur',
        comment: `${nation} concurs`,
      });
      const took = performance.now() - started;
      if (res.status === 200) latencies.push(took);
      else log(`reminders: a command during the burst answered ${res.status} after ${took.toFixed(0)} ms`);
      await sleep(Math.max(0, PROBE_EVERY_MS - took));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      return latencies;
    },
  };
}

const EventType = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

function eventMs(e: HistoryEvent): number {
  return Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
}

/**
 * From each recommendation's history: how late the server fired the reminder timer (against the
 * instant it was set for), how long from the timer to the start of the delivery activity (the
 * workflow task, the persist activity, the next workflow task), and how long the delivery took.
 */
async function stagesOf(stack: BenchStack, refs: string[], dueAt: Date): Promise<ReminderResult['stages']> {
  const late: number[] = [];
  const toSending: number[] = [];
  const sending: number[] = [];
  const persisted: number[] = [];
  for (const ref of refs) {
    const events = (await stack.client.workflow.getHandle(ref).fetchHistory()).events ?? [];
    const started = events.find(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_TIMER_STARTED &&
        Math.abs(
          eventMs(e) + Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0) * 1000 - dueAt.getTime(),
        ) < 2000,
    );
    const fired = events.find(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_TIMER_FIRED &&
        e.timerFiredEventAttributes?.startedEventId?.toString() === started?.eventId?.toString(),
    );
    if (!fired) continue;
    late.push(eventMs(fired) - dueAt.getTime());
    const after = (name: string) =>
      events.find(
        (e) =>
          e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
          e.activityTaskScheduledEventAttributes?.activityType?.name === name &&
          Number(e.eventId) > Number(fired.eventId),
      );
    const persist = after('persist')?.eventId?.toString();
    const persistEnded = events.find(
      (e) => e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === persist,
    );
    if (persistEnded) persisted.push(eventMs(persistEnded) - eventMs(fired));
    const scheduled = after('notify');
    const id = scheduled?.eventId?.toString();
    const began = events.find((e) => e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === id);
    const ended = events.find((e) => e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === id);
    if (!began || !ended) continue;
    toSending.push(eventMs(began) - eventMs(fired));
    sending.push(eventMs(ended) - eventMs(began));
  }
  const sum = (xs: number[]) => ({ p50: percentile(xs, 50), max: xs.length ? Math.max(...xs) : NaN });
  return {
    timerLate: sum(late),
    firedToPersisted: sum(persisted),
    firedToSending: sum(toSending),
    sending: sum(sending),
  };
}

/** What MailDev holds of these recommendations' reminders: messages and distinct Message-IDs. */
async function receivedReminders(stack: BenchStack, refs: string[]): Promise<ReminderResult['received']> {
  const res = await fetch(`${stack.mailApi}/api/email`);
  const all = (await res.json()) as { headers: Record<string, string> }[];
  const mine = all.filter(
    (m) =>
      refs.includes(m.headers['x-dipb-reference'] ?? '') && m.headers['x-dipb-notification'] === 'consensus-reminder',
  );
  return { messages: mine.length, messageIds: new Set(mine.map((m) => m.headers['message-id'])).size };
}

/**
 * The baseline, in the same run: the same number of reminders, rendered beforehand, handed at
 * once to the worker's own mail transport (same pool size) and the same MailDev — no Temporal, no
 * PostgreSQL. What is left is what this machine's SMTP path costs: the floor under the figure above.
 */
async function bareSmtp(stack: BenchStack, count: number): Promise<ReminderResult['bare']> {
  const config = loadConfig({ ...process.env, ...stack.env });
  const mailer = new MailerService(config);
  const renderer = new NotificationRenderer();
  const nations: NationCode[] = ['FRA', 'DEU', 'BEL', 'CAN', 'ITA', 'POL', 'USA', 'GBR'];
  const rendered = nations.map((nation) => {
    const request: NotificationRequest = {
      identity: `BENCH-BARE/consensus-reminder/wg-member-${nation}`,
      reference: 'DIPB-2099-9999',
      kind: 'consensus-reminder',
      recipient: { role: 'wg-member', nation },
      revision: 1,
      deadline: new Date(Date.now() + 30_000).toISOString(),
      dueAt: new Date().toISOString(),
      nation,
      note: null,
      round: null,
    };
    return renderer.render(request, {
      reference: request.reference,
      title: 'Punctuality bench, bare SMTP baseline',
      summary: 'The same reminder, without the service around it.',
      body: '1. Keep stocks.\n2. Share forecasts.',
      workingGroup: 'SCS',
      language: 'en',
      rapporteur: null,
      recipientLanguage: nation === 'FRA' || nation === 'BEL' || nation === 'CAN' ? 'fr' : 'en',
      nationName: null,
      // A personal link as long as the service's, so the messages weigh the same.
      link: {
        url: `http://localhost:3000/links/DIPB-2099-9999/${nation}/consensus-position/${'x'.repeat(420)}`,
        expiresAt: request.deadline ?? request.dueAt,
      },
    });
  });
  try {
    const started = performance.now();
    const delays = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const message = rendered[i % rendered.length]!;
        await mailer.send({
          to: [`bare-${i}@bench.example`],
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: `<bare-${i}-${Date.now()}@bench.example>`,
          language: message.language,
          headers: { 'X-DIPB-Reference': 'DIPB-2099-9999', 'X-DIPB-Notification': 'consensus-reminder' },
        });
        return performance.now() - started;
      }),
    );
    log(`reminders: bare baseline, ${count} messages through ${config.SMTP_POOL_SIZE} connections`);
    return {
      connections: config.SMTP_POOL_SIZE,
      delayMs: { p50: percentile(delays, 50), p99: percentile(delays, 99), max: Math.max(...delays) },
    };
  } finally {
    mailer.onModuleDestroy();
  }
}
