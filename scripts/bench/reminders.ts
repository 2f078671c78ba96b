/**
 * 4. Reminder punctuality: 32 recommendations × 32 nations in WG consensus with the same silence
 * deadline instant and a reminder 30 s before it: 1,024 reminders fall due in the same second.
 * The delay from the due instant to SMTP acceptance is read from the outbox (`sent_at`, written
 * once the SMTP server has accepted the message, against `due_at`), and cross-checked in MailDev.
 */
import { Client as PgClient } from 'pg';
import type { NationCode, NotificationRequest } from '@app/domain';
import { loadConfig } from '../../libs/config/src';
import { MailerService } from '../../libs/notifications/src/mailer.service';
import { NotificationRenderer } from '../../libs/notifications/src/notification-renderer';
import { call } from '../../libs/testing/src';
import { expect2xx, log, percentile, pool, raiseVia, tokens, type BenchStack } from './common';

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
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function benchReminders(
  stack: BenchStack,
  { recommendations = 32, leadSeconds = 90, workers = 1, withBaseline = true } = {},
): Promise<ReminderResult> {
  const t = await tokens(['FRA']);
  log(`reminders: ${recommendations} recommendations × 32 nations, one silence deadline, reminder 30 s before`);
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
    const dueRows = await db.query<{ due: Date }>(
      `SELECT DISTINCT due_at AS due FROM notifications WHERE kind = 'consensus-reminder' AND reference = ANY($1)`,
      [refs],
    );
    if (dueRows.rows.length !== 1) log(`reminders: warning, ${dueRows.rows.length} distinct due instants`);
    const received = await receivedReminders(stack, refs);
    const bare = withBaseline ? await bareSmtp(stack, expected) : { connections: 0, delayMs: { p50: NaN, p99: NaN, max: NaN } };
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
    };
  } finally {
    await db.end();
  }
}

/** What MailDev holds of these recommendations' reminders: messages and distinct Message-IDs. */
async function receivedReminders(stack: BenchStack, refs: string[]): Promise<ReminderResult['received']> {
  const res = await fetch(`${stack.mailApi}/api/email`);
  const all = (await res.json()) as { headers: Record<string, string> }[];
  const mine = all.filter((m) => refs.includes(m.headers['x-dipb-reference'] ?? '') && m.headers['x-dipb-notification'] === 'consensus-reminder');
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
