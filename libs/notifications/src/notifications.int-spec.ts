import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '@app/config';
import type { NationCode, NotificationRequest } from '@app/domain';
import type { Server } from 'node:net';
import { freePort } from '@app/testing/ports';
import { eventually, sleep } from '@app/testing/wait';
import { percentile } from '@app/testing/percentile';
import {
  dataSourceOptions,
  NationContactsRepository,
  NationsRepository,
  OutboxRepository,
  RecommendationChanges,
  RecommendationsRepository,
  TextsRepository,
} from '@app/persistence';
import { DataSource } from 'typeorm';
import { ActionLinks } from './links/action-links';
import { CalendarEntries } from './links/calendar-entries';
import { MailerService, SmtpTransientError } from './mailer.service';
import { messageIdFor } from './message-id';
import type { DeliveryContext } from './notification-context';
import { NotificationsService } from './notifications.service';
import { startRefusingRelay } from './testing/refusing-smtp-relay';
import { SmtpTap } from './testing/smtp-tap';
import { ScriptedRecommendation, ScriptProjector, SECRETARIAT, wgMember } from '@app/persistence/testing/lifecycle';

// Against the real thing: PostgreSQL (DATABASE_URL, migrated by the global setup) and MailDev
// (SMTP_PORT, and its REST API at MAILDEV_API_URL). Each test uses its own reference, and reads
// back only the messages carrying it, so it neither needs nor disturbs an empty mailbox.

interface Caught {
  id: string;
  subject: string;
  text: string;
  html: string;
  to: { address: string }[];
  headers: Record<string, string>;
}

function apiUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/api') ? trimmed : `${trimmed}/api`;
}

async function caught(
  reference: string,
  base = process.env.MAILDEV_API_URL ?? 'http://127.0.0.1:1180',
): Promise<Caught[]> {
  const res = await fetch(`${apiUrl(base)}/email`);
  if (!res.ok) throw new Error(`MailDev answered ${res.status}`);
  return ((await res.json()) as Caught[]).filter((m) => m.headers['x-dipb-reference'] === reference);
}

const distinctMessageIds = (mails: Caught[]): Set<string> => new Set(mails.map((m) => m.headers['message-id'] ?? ''));

async function startMailDev(smtp: number, web: number): Promise<ChildProcess> {
  const bin = join(__dirname, '../../../node_modules/.bin/maildev');
  const child = spawn(
    bin,
    ['--smtp', String(smtp), '--web', String(web), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1', '--silent'],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${web}/api/email`)).ok) return child;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error('MailDev did not start');
}

/** The listeners of the services made here, closed after the suite. */
const listeners: RecommendationChanges[] = [];

/** The service as the worker wires it, over the real PostgreSQL. */
function notificationsOver(ds: DataSource, mailer: MailerService, config: AppConfig): NotificationsService {
  const changes = new RecommendationChanges(config);
  listeners.push(changes);
  return new NotificationsService(
    new OutboxRepository(ds),
    new TextsRepository(ds),
    new RecommendationsRepository(ds),
    changes,
    new NationContactsRepository(ds),
    mailer,
    config,
    new ActionLinks(config, new NationsRepository(ds)),
    new CalendarEntries(new RecommendationsRepository(ds)),
  );
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function configWith(env: Record<string, string>): AppConfig {
  return loadConfig({ JWT_SECRET: 'x'.repeat(32), ...process.env, ...env });
}

const reference = (): string =>
  `DIPB-2099-${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}${Date.now() % 1000}`;

function submission(ref: string, nation: NationCode): NotificationRequest {
  return {
    identity: `${ref}/submission/director-${nation}/revision-2`,
    reference: ref,
    kind: 'submission',
    recipient: { role: 'director', nation },
    revision: 2,
    deadline: '2026-12-04T11:00:00.000Z',
    dueAt: '2026-09-05T11:00:00.000Z',
    nation,
    note: null,
    round: null,
  };
}

/** The round-1 consensus reminder to `nation`'s delegate on `rec`, due now (`slot` tells attempts apart). */
function consensusReminder(rec: ScriptedRecommendation, nation: NationCode, slot: string): NotificationRequest {
  return {
    identity: `${rec.reference}/consensus-reminder/wg-member-${nation}/round-1/${slot}`,
    reference: rec.reference,
    kind: 'consensus-reminder',
    recipient: { role: 'wg-member', nation },
    revision: 1,
    deadline: rec.state.consensus?.deadline ?? null,
    dueAt: new Date().toISOString(),
    nation: null,
    note: null,
    round: 1,
  };
}

function contextFor(ref: string): DeliveryContext {
  return {
    reference: ref,
    title: 'Secure the supply of 155 mm shells',
    summary: 'Allies should keep a six-month buffer of propellant.',
    body: '1. Keep stocks.\n2. Share forecasts.',
    workingGroup: 'SCS',
    language: 'en',
    rapporteur: null,
  };
}

interface OutboxRow {
  status: string;
  address: string | null;
  message_id: string | null;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
  language: string | null;
}

describe('NotificationsService against PostgreSQL and MailDev', () => {
  let dataSource: DataSource;
  let config: AppConfig;
  let mailer: MailerService;
  let service: NotificationsService;

  const outbox = async (identity: string): Promise<OutboxRow[]> =>
    dataSource.query<OutboxRow[]>(
      `SELECT status, address, message_id, attempts, last_error, sent_at, language FROM notifications WHERE identity = $1`,
      [identity],
    );

  beforeAll(async () => {
    config = configWith({});
    dataSource = new DataSource(dataSourceOptions(config.DATABASE_URL, 8));
    await dataSource.initialize();
    mailer = new MailerService(config);
    service = notificationsOver(dataSource, mailer, config);
  });

  afterAll(async () => {
    mailer.onModuleDestroy();
    await Promise.all(listeners.map((changes) => changes.onModuleDestroy()));
    await dataSource.destroy();
  });

  it('sends a notification delivered twice exactly once, with one outbox row', async () => {
    const ref = reference();
    const request = submission(ref, 'DEU');
    const first = await service.deliver(request, contextFor(ref));
    const second = await service.deliver(request, contextFor(ref));

    expect(first.status).toBe('sent');
    expect(first.address).toBe('director.deu@mod.example');
    expect(first.messageId).toBe(messageIdFor(request.identity));
    expect(second).toEqual(first);

    const mails = await caught(ref);
    expect(mails).toHaveLength(1);
    const rows = await outbox(request.identity);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', attempts: 1, address: 'director.deu@mod.example', language: 'en' });
    expect(rows[0]?.sent_at?.toISOString()).toBe(first.sentAt);
  });

  it('sends one message when attempts at the same notification race', async () => {
    const ref = reference();
    const request = submission(ref, 'ITA');
    const results = await Promise.all(Array.from({ length: 6 }, () => service.deliver(request, contextFor(ref))));
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(await caught(ref)).toHaveLength(1);
  });

  it('keeps at most SMTP_POOL_SIZE messages in flight in a burst, and sends each once', async () => {
    const local = configWith({ SMTP_POOL_SIZE: '3', DATABASE_POOL_SIZE: '8' });
    const localMailer = new MailerService(local);
    const localService = notificationsOver(dataSource, localMailer, local);
    let inFlight = 0;
    let most = 0;
    const send = localMailer.send.bind(localMailer);
    // A spy that counts, around the real SMTP exchange.
    jest.spyOn(localMailer, 'send').mockImplementation(async (mail) => {
      most = Math.max(most, ++inFlight);
      try {
        return await send(mail);
      } finally {
        inFlight--;
      }
    });
    try {
      const ref = reference();
      const nations: NationCode[] = [
        'BEL',
        'DEU',
        'DNK',
        'ESP',
        'FRA',
        'GBR',
        'ITA',
        'NLD',
        'NOR',
        'POL',
        'PRT',
        'USA',
      ];
      const requests = nations.map((n) => submission(ref, n));
      // Each twice at once, as a retried activity racing the first attempt would.
      const results = await Promise.all(
        [...requests, ...requests].map((r) => localService.deliver(r, contextFor(ref))),
      );

      expect(results.every((r) => r.status === 'sent')).toBe(true);
      // Bounded by the pool, and concurrent (one at a time would be 1).
      expect(most).toBeLessThanOrEqual(3);
      expect(most).toBeGreaterThan(1);
      const mails = await caught(ref);
      expect(mails).toHaveLength(nations.length);
      expect(distinctMessageIds(mails).size).toBe(nations.length);
    } finally {
      localMailer.onModuleDestroy();
    }
  });

  it('writes to a French-speaking nation in French, with the headers and Message-ID', async () => {
    const ref = reference();
    const fra = submission(ref, 'FRA');
    const deu = submission(ref, 'DEU');
    await service.deliver(fra, contextFor(ref));
    await service.deliver(deu, contextFor(ref));

    const mails = await caught(ref);
    expect(mails).toHaveLength(2);
    const toFra = mails.find((m) => m.to.some((t) => t.address === 'director.fra@mod.example'));
    const toDeu = mails.find((m) => m.to.some((t) => t.address === 'director.deu@mod.example'));
    expect(toFra?.subject).toBe(
      `[${ref}] Recommandation soumise pour réponse nationale\u00a0: Secure the supply of 155 mm shells`,
    );
    expect(toFra?.headers['content-language']).toBe('fr');
    expect(toFra?.text).toContain('4 décembre 2026 à 12:00 (heure de Bruxelles, CET)');
    expect(toFra?.html).toContain('Comment répondre');
    expect(toDeu?.subject).toBe(`[${ref}] Recommendation for national response: Secure the supply of 155 mm shells`);
    expect(toDeu?.text).toContain('4 December 2026, 12:00 (Brussels time, CET)');
    for (const [mail, request] of [
      [toFra, fra],
      [toDeu, deu],
    ] as const) {
      expect(mail?.headers['x-dipb-reference']).toBe(ref);
      expect(mail?.headers['x-dipb-notification']).toBe('submission');
      expect(mail?.headers['message-id']).toBe(messageIdFor(request.identity));
    }
  });

  it('throws a retryable error while SMTP is down, then delivers once when it is back', async () => {
    const [smtp, web] = [await freePort(), await freePort()];
    const local = configWith({ SMTP_PORT: String(smtp) });
    const localMailer = new MailerService(local);
    const localService = notificationsOver(dataSource, localMailer, local);
    const ref = reference();
    const request = submission(ref, 'POL');
    let maildev = await startMailDev(smtp, web);
    try {
      // Up, then stopped: the pooled transport must notice and fail, not hang or lose the message.
      await stop(maildev);
      await expect(localService.deliver(request, contextFor(ref))).rejects.toBeInstanceOf(SmtpTransientError);
      await expect(localService.deliver(request, contextFor(ref))).rejects.toBeInstanceOf(SmtpTransientError);
      const pending = await outbox(request.identity);
      expect(pending[0]).toMatchObject({ status: 'pending', attempts: 2, sent_at: null });
      expect(pending[0]?.last_error).toMatch(/SMTP unavailable/);

      const before = Date.now();
      maildev = await startMailDev(smtp, web);
      const result = await localService.deliver(request, contextFor(ref));
      await localService.deliver(request, contextFor(ref));
      expect(result.status).toBe('sent');
      // Recorded with the real (late) send time, not the due time.
      expect(Date.parse(result.sentAt ?? '')).toBeGreaterThanOrEqual(before);
      const mails = await caught(ref, `http://127.0.0.1:${web}`);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.headers['message-id']).toBe(messageIdFor(request.identity));
      expect((await outbox(request.identity))[0]).toMatchObject({ status: 'sent', attempts: 3 });
    } finally {
      localMailer.onModuleDestroy();
      await stop(maildev);
    }
  });

  describe('permanent refusals (5xx)', () => {
    let relay: Server;
    let relayService: NotificationsService;
    let relayMailer: MailerService;
    const codes = ['ZZA', 'ZZB'] as unknown as NationCode[];

    beforeAll(async () => {
      const port = await freePort();
      relay = await startRefusingRelay({ port, relayPort: config.SMTP_PORT, refuse: (a) => a.includes('refused') });
      const local = configWith({ SMTP_PORT: String(port) });
      relayMailer = new MailerService(local);
      relayService = notificationsOver(dataSource, relayMailer, local);
      // Two test-only directory entries: one whose director refuses (the deputy accepts), one whose both refuse.
      await dataSource.query(
        `INSERT INTO nations (code, name_en, name_fr, language, director_email, director_alternate_email)
         VALUES ('ZZA', 'Testland', 'Testlande', 'fr', 'refused.director@zza.example', 'deputy@zza.example'),
                ('ZZB', 'Nowhere', 'Nullepart', 'en', 'refused.director@zzb.example', 'refused.deputy@zzb.example')
         ON CONFLICT (code) DO NOTHING`,
      );
    });

    afterAll(async () => {
      await dataSource.query(`DELETE FROM nations WHERE code IN ('ZZA', 'ZZB')`);
      relayMailer.onModuleDestroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    });

    it('tries the alternate address when the director is refused', async () => {
      const ref = reference();
      const request = submission(ref, codes[0] as NationCode);
      const result = await relayService.deliver(request, contextFor(ref));
      expect(result).toMatchObject({ status: 'sent', address: 'deputy@zza.example' });
      expect(result.error).toMatch(/refused\.director@zza\.example: SMTP refused \(550\)/);
      const mails = await caught(ref);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.to.map((t) => t.address)).toEqual(['deputy@zza.example']);
      expect(mails[0]?.subject).toContain('Recommandation soumise');
    });

    it('tells the secretariat and returns failed when every address is refused, once', async () => {
      const ref = reference();
      const request = submission(ref, codes[1] as NationCode);
      const result = await relayService.deliver(request, contextFor(ref));
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/refused\.director@zzb\.example.*550.*refused\.deputy@zzb\.example.*550/);
      const again = await relayService.deliver(request, contextFor(ref));
      expect(again.status).toBe('failed');

      const mails = await caught(ref);
      expect(mails).toHaveLength(1);
      const copy = mails[0];
      expect(copy?.to.map((t) => t.address)).toEqual([config.SECRETARIAT_EMAIL]);
      expect(copy?.subject).toBe(
        `[${ref}] Undeliverable: Recommendation for national response: Secure the supply of 155 mm shells`,
      );
      expect(copy?.text).toContain('refused.director@zzb.example');
      expect(copy?.headers['message-id']).toBe(messageIdFor(`${request.identity}/undeliverable`));
      expect((await outbox(request.identity))[0]).toMatchObject({ status: 'failed' });
      expect((await outbox(`${request.identity}/undeliverable`))[0]).toMatchObject({ status: 'sent' });
    });
  });

  it('skips, and says why, a recipient the directory has no address for', async () => {
    const ref = reference();
    const request: NotificationRequest = {
      ...submission(ref, 'XXX' as unknown as NationCode),
      identity: `${ref}/submission/director-XXX/revision-2`,
    };
    const result = await service.deliver(request, contextFor(ref));
    expect(result).toMatchObject({ status: 'skipped', error: 'nation XXX is not in the directory' });
    expect(await caught(ref)).toHaveLength(0);
  });

  it('keeps the same distinct Message-ID count across many deliveries of the same requests', async () => {
    const ref = reference();
    const requests = (['BEL', 'CAN', 'LUX'] as NationCode[]).map((n) => submission(ref, n));
    for (let i = 0; i < 3; i++) for (const r of requests) await service.deliver(r, contextFor(ref));
    const mails = await caught(ref);
    expect(mails).toHaveLength(3);
    expect(distinctMessageIds(mails).size).toBe(3);
    // Belgium and Luxembourg correspond in French, Canada in English (the seeded defaults).
    const languageOf = (address: string): string | undefined =>
      mails.find((m) => m.to.some((t) => t.address === address))?.headers['content-language'];
    expect([
      languageOf('director.bel@mod.example'),
      languageOf('director.can@mod.example'),
      languageOf('director.lux@mod.example'),
    ]).toEqual(['fr', 'en', 'fr']);
  });

  it('checks each message against the recommendation as it is at the instant of sending: a settled matter is dropped, never sent', async () => {
    const n = Math.floor(Math.random() * 9000) + 1000;
    const rec = new ScriptedRecommendation(
      `DIPB-2098-${n}`,
      { workingGroup: 'SCS', nations: ['FRA', 'DEU'] },
      new Date().toISOString(),
    );
    rec.command(SECRETARIAT, { type: 'call-consensus', silence: 'P14D' }, new Date(Date.now() + 1000).toISOString());
    rec.command(
      wgMember('FRA', 'SCS'),
      { type: 'consensus-position', position: 'concur', comment: '' },
      new Date(Date.now() + 2000).toISOString(),
    );
    const projector = new ScriptProjector(dataSource);
    await projector.apply(rec.projection());
    const reminder = (nation: NationCode, slot: string) => consensusReminder(rec, nation, slot);
    const context = await service.context(rec.reference, 1);
    expect(context).toMatchObject({
      title: rec.text.title,
      summary: rec.text.summary,
      body: rec.text.body,
      workingGroup: 'SCS',
    });

    // FRA has spoken: its reminder is dropped at the instant of sending; DEU's goes.
    expect(await service.deliver(reminder('FRA', 'a'), context)).toMatchObject({
      status: 'dropped',
      error: expect.stringContaining('no longer due'),
    });
    expect(await service.deliver(reminder('DEU', 'a'), context)).toMatchObject({ status: 'sent' });
    // Withdrawn meanwhile (as a retrying batch would see after an outage): nothing goes to anyone.
    rec.command(SECRETARIAT, { type: 'withdraw', reason: 'overtaken' }, new Date(Date.now() + 3000).toISOString());
    await projector.apply(rec.projection());
    expect(await service.deliver(reminder('DEU', 'b'), context)).toMatchObject({ status: 'dropped' });
    // An attempt again later sees the same: the outbox row says dropped, and nothing is sent.
    expect(await service.deliver(reminder('DEU', 'b'), context)).toMatchObject({ status: 'dropped' });
    const mails = await caught(rec.reference);
    expect(mails.map((m) => m.to.map((t) => t.address).join())).toEqual(['wg-scs.deu@mod.example']);
    expect(await outbox(reminder('DEU', 'b').identity)).toEqual([
      expect.objectContaining({ status: 'dropped', message_id: null, sent_at: null }),
    ]);
  });

  /**
   * A send held by a hung SMTP server (MailDev SIGSTOPped) while the matter is settled (Germany concurs,
   * or the recommendation is withdrawn), and the server resumed, in a random order 0–50 ms apart, `reps`
   * times. Each outcome is told apart by when the server said it was ready for the body (354, seen by a
   * tap in front of it) against the settlement's commit: stale is a message sent although the server was
   * ready only after the settlement was committed.
   */
  async function settlementRace(reps: number, env: Record<string, string> = {}) {
    const [smtp, web, tapPort] = [await freePort(), await freePort(), await freePort()];
    const maildev = await startMailDev(smtp, web);
    const tap = new SmtpTap(tapPort, smtp);
    await tap.open();
    const local = configWith({ SMTP_PORT: String(tapPort), SMTP_POOL_SIZE: '1', ...env });
    const localMailer = new MailerService(local);
    const localService = notificationsOver(dataSource, localMailer, local);
    const projector = new ScriptProjector(dataSource);
    const hang = (on: boolean) => process.kill(maildev.pid ?? 0, on ? 'SIGSTOP' : 'SIGCONT');
    const n = {
      owed: 0,
      settledWhileHung: 0,
      sentBefore: 0,
      sentAsCommitted: 0,
      calledOffAtOnce: 0,
      calledOffAtData: 0,
    };
    const stale: string[] = [];
    const answeredAfter: number[] = [];
    const sentRefs: string[] = [];
    const refs: string[] = [];
    try {
      for (let i = 0; i < reps; i++) {
        const rec = new ScriptedRecommendation(
          `DIPB-2097-${String(Date.now() % 100_000).padStart(5, '0')}${i}`,
          { workingGroup: 'SCS', nations: ['FRA', 'DEU'] },
          new Date().toISOString(),
        );
        refs.push(rec.reference);
        rec.command(SECRETARIAT, { type: 'call-consensus', silence: 'P14D' }, new Date().toISOString());
        await projector.apply(rec.projection());
        const request = consensusReminder(rec, 'DEU', 'race');
        const context = await localService.context(rec.reference, 1);
        const readyBefore = tap.ready.length;
        hang(true);
        const seen = tap.activity;
        const delivery = localService.deliver(request, context);
        n.owed += 1;
        // The send is under way, held by the hung server (a connection opened, or a command written).
        await eventually(() => tap.activity > seen, 5000, 2);
        const settle = async () => {
          const start = Date.now();
          const at = new Date().toISOString();
          if (i % 2 === 0)
            rec.command(wgMember('DEU', 'SCS'), { type: 'consensus-position', position: 'concur', comment: '' }, at);
          else rec.command(SECRETARIAT, { type: 'withdraw', reason: 'overtaken' }, at);
          await projector.apply(rec.projection());
          return { start, end: Date.now() };
        };
        const gap = Math.random() * 50;
        let settled: { start: number; end: number };
        if (Math.random() < 0.5) {
          settled = await settle();
          n.settledWhileHung += 1;
          await sleep(gap);
          hang(false);
        } else {
          hang(false);
          await sleep(gap);
          settled = await settle();
        }
        const result = await delivery;
        answeredAfter.push(Date.now() - settled.end);
        const ready = tap.ready.slice(readyBefore).at(-1);
        if (result.status === 'sent') {
          sentRefs.push(rec.reference);
          if (ready !== undefined && ready < settled.start) n.sentBefore += 1;
          else if (ready !== undefined && ready <= settled.end) n.sentAsCommitted += 1;
          else
            stale.push(
              `${rec.reference}: the server was ready ${(ready ?? NaN) - settled.end} ms after the settlement`,
            );
        } else if (result.status === 'dropped' && result.error?.includes('(354)')) n.calledOffAtData += 1;
        else if (result.status === 'dropped') n.calledOffAtOnce += 1;
        else throw new Error(`race ${i}: ${result.status} ${result.error ?? ''}`);
      }
      // Every send has answered: a message called off never had its body ended, so the server has
      // all it will ever have; it took exactly what was recorded sent.
      const delivered = await eventually(async () => {
        const got = (await Promise.all(refs.map((ref) => caught(ref, `http://127.0.0.1:${web}`)))).flat();
        return got.length >= sentRefs.length ? got : undefined;
      }, 10_000);
      const line =
        `owed ${n.owed}; settled while the server hung ${n.settledWhileHung}; sent, the server ready before the settlement ${n.sentBefore}, ` +
        `as it was committed ${n.sentAsCommitted}; called off at once ${n.calledOffAtOnce}, at DATA ${n.calledOffAtData}; ` +
        `stale ${stale.length}; delivered ${delivered.length}; answered after the settlement p50 ${percentile(answeredAfter, 50)} ms, max ${Math.max(...answeredAfter)} ms`;
      return {
        n,
        stale,
        line,
        delivered: delivered.map((m) => m.headers['x-dipb-reference']).sort(),
        sentRefs: sentRefs.sort(),
      };
    } finally {
      hang(false);
      localMailer.onModuleDestroy();
      await tap.close();
      await stop(maildev);
    }
  }

  it('sends nothing once the matter is settled while SMTP hangs: 100 races of settlement and resumption', async () => {
    const race = await settlementRace(100);
    process.stdout.write(`[settlement race] ${race.line}\n`);
    expect(race.stale).toEqual([]);
    expect(race.delivered).toEqual(race.sentRefs);
    // The fault happened: settlements fell while the server hung, and each such send was called off.
    expect(race.n.settledWhileHung).toBeGreaterThanOrEqual(25);
    expect(race.n.calledOffAtOnce + race.n.calledOffAtData).toBeGreaterThanOrEqual(race.n.settledWhileHung);
  }, 120_000);

  it('sends nothing stale even when the settlement is not heard: the check at DATA alone, 100 races', async () => {
    // The watch listens on another database, where this one's commits are never heard (a lost NOTIFY).
    const deaf = new URL(config.DATABASE_URL);
    deaf.pathname = '/postgres';
    const race = await settlementRace(100, { DATABASE_URL: deaf.toString() });
    process.stdout.write(`[settlement race, unheard] ${race.line}\n`);
    expect(race.stale).toEqual([]);
    expect(race.delivered).toEqual(race.sentRefs);
    // The fault happened, and the check when the server was ready for the body is what held: nothing
    // heard the settlement (only a watch starting to listen looks once at what it missed).
    expect(race.n.settledWhileHung).toBeGreaterThanOrEqual(25);
    expect(race.n.calledOffAtData + race.n.calledOffAtOnce).toBeGreaterThanOrEqual(race.n.settledWhileHung);
    expect(race.n.calledOffAtData).toBeGreaterThan(race.n.calledOffAtOnce);
  }, 120_000);
  it('sends a message prepared ahead as composed, re-composes it when the directory changed, and deletes what the plan released', async () => {
    const n = Math.floor(Math.random() * 9000) + 1000;
    const rec = new ScriptedRecommendation(
      `DIPB-2096-${n}`,
      { workingGroup: 'SCS', nations: ['ITA', 'ESP', 'POL'] },
      new Date().toISOString(),
    );
    rec.command(SECRETARIAT, { type: 'call-consensus', silence: 'P14D' }, new Date(Date.now() + 1000).toISOString());
    await new ScriptProjector(dataSource).apply(rec.projection());
    const reminder = (nation: NationCode): NotificationRequest => ({
      identity: `${rec.reference}/consensus-reminder/wg-member-${nation}/round-1/prepared`,
      reference: rec.reference,
      kind: 'consensus-reminder',
      recipient: { role: 'wg-member', nation },
      revision: 1,
      deadline: rec.state.consensus?.deadline ?? null,
      dueAt: new Date(Date.now() + 60_000).toISOString(),
      nation: null,
      note: null,
      round: 1,
    });
    const context = await service.context(rec.reference, 1);
    const [ita, esp, pol] = [reminder('ITA'), reminder('ESP'), reminder('POL')];
    expect(await service.prepare([ita, esp, pol], () => Promise.resolve(context))).toBe(3);
    const rows = await dataSource.query<{ identity: string; status: string; address: string; raw: Buffer | null }[]>(
      `SELECT identity, status, address, raw FROM notifications WHERE identity = ANY($1) ORDER BY identity`,
      [[ita.identity, esp.identity, pol.identity]],
    );
    expect(rows.map((r) => [r.status, r.address, r.raw !== null])).toEqual([
      ['pending', 'wg-scs.esp@mod.example', true],
      ['pending', 'wg-scs.ita@mod.example', true],
      ['pending', 'wg-scs.pol@mod.example', true],
    ]);
    // The composed message is what goes out: its Message-ID, its subject, dated when it was due.
    const composed = rows.find((r) => r.identity === ita.identity)?.raw?.toString() ?? '';
    expect(composed).toContain(`Message-ID: ${messageIdFor(ita.identity)}`);

    // The plan changed for POL: released, its composed row deleted, nothing recorded.
    expect(await service.release([pol.identity])).toBe(1);
    expect(await outbox(pol.identity)).toEqual([]);
    // ESP's delegates change after preparation: the message is composed again for the new address.
    await dataSource.query(
      `UPDATE nations SET wg_delegates = jsonb_set(wg_delegates, '{SCS,email}', '"new.scs.esp@mod.example"'), updated_at = now() + interval '1 second' WHERE code = 'ESP'`,
    );
    try {
      expect(await service.deliver(ita, context)).toMatchObject({ status: 'sent', address: 'wg-scs.ita@mod.example' });
      expect(await service.deliver(esp, context)).toMatchObject({ status: 'sent', address: 'new.scs.esp@mod.example' });
      // Owed after all (the plan came back to it), it is composed at its instant like any other.
      expect(await service.deliver(pol, context)).toMatchObject({ status: 'sent', address: 'wg-scs.pol@mod.example' });
    } finally {
      await dataSource.query(
        `UPDATE nations SET wg_delegates = jsonb_set(wg_delegates, '{SCS,email}', '"wg-scs.esp@mod.example"') WHERE code = 'ESP'`,
      );
    }
    const mails = await caught(rec.reference);
    expect(mails.map((m) => m.to.map((t) => t.address).join()).sort()).toEqual([
      'new.scs.esp@mod.example',
      'wg-scs.ita@mod.example',
      'wg-scs.pol@mod.example',
    ]);
    const toItaly = mails.find((m) => m.to[0]?.address === 'wg-scs.ita@mod.example');
    expect(toItaly?.headers['message-id']).toBe(messageIdFor(ita.identity));
    expect(toItaly?.headers['x-dipb-notification']).toBe('consensus-reminder');
    expect(toItaly?.subject).toContain(rec.reference);
    // Composed ahead, it still carries the delegate's personal link, as a message composed at the due instant does.
    expect(toItaly?.text).toContain(`/links/${rec.reference}/ITA/consensus-position/`);
    expect(await outbox(ita.identity)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);
    // A row no longer pending is what happened: a release leaves it as it is.
    expect(await service.release([ita.identity])).toBe(0);
    expect(await outbox(ita.identity)).toEqual([expect.objectContaining({ status: 'sent' })]);
  });
});
