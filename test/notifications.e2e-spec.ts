import { Client as Pg } from 'pg';
import { header, messageId, MailDevClient, call, eventually, sleep, startWorker, type CaughtEmail } from '@app/testing';
import type { RecommendationView } from '@app/domain';
import { TcpProxy } from './faults/faults.helpers';
import {
  byDirector,
  e2eStack,
  untilSent,
  events,
  expectOk,
  FAST_POLICY,
  raise,
  waitForStage,
  type EventLine,
} from './lifecycle.helpers';

/** A slow link to the SMTP server, for the worker killed mid-batch. */
const SLOW_SMTP_PORT = Number(process.env.TEST_SLOW_SMTP_PORT ?? 15661);

const SECRETARIAT = process.env.SECRETARIAT_EMAIL ?? 'dipb-secretariat@example.nato.int';

function summary(mails: CaughtEmail[]): string[] {
  return mails
    .map((m) => `${header(m, 'x-dipb-notification') ?? '?'} → ${m.to.map((t) => t.address).join(',')}`)
    .sort();
}

describe('notifications: every expected message, once, in the recipient language', () => {
  const s = e2eStack();
  const mail = new MailDevClient();

  beforeAll(async () => {
    // Other suites change directors (repairs, fuzzing); this one sets the contacts it reads back.
    for (const [code, language] of [
      ['FRA', 'fr'],
      ['DEU', 'en'],
      ['ITA', 'en'],
      ['ESP', 'en'],
    ] as const) {
      const res = await call(s.api, 'PUT', `/api/v1/nations/${code}/director`, {
        token: s.who.secretariat,
        body: { name: `Director ${code}`, email: `director.${code.toLowerCase()}@mod.example`, language },
      });
      expect(res.status).toBe(200);
    }
  });

  const afterwards: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const done of afterwards) await done();
  });

  const post = (path: string, token: string, body: unknown = {}) =>
    call<RecommendationView>(s.api, 'POST', path, { token, body });

  it('sends the whole lifecycle to the right people, in French to France, with no reminder to whoever already spoke', async () => {
    const { reference: ref } = await raise(s.api, s.who.secretariat, {
      nations: ['FRA', 'DEU'],
      // Fast silence and response deadlines; follow-up reports fall due long after this test.
      // Overdue notices 5 s apart: Germany answers after the escalation and before the next notice.
      policy: { ...FAST_POLICY, overdueEvery: 'PT5S', followUpEvery: 'P180D', followUpReminder: 'P14D' },
    });
    expectOk(await post(`/api/v1/recommendations/${ref}/consensus`, s.who.secretariat, { silence: 'PT3S' }));
    // France speaks at once: only Germany's WG delegate is reminded before silence expires.
    expectOk(
      await post(`/api/v1/recommendations/${ref}/consensus/positions`, await s.who.wg('FRA'), {
        position: 'concur',
        comment: '',
      }),
    );
    await waitForStage(s.api, s.who.secretariat, ref, 'approved');
    const submitted = expectOk(await post(`/api/v1/recommendations/${ref}/submission`, s.who.secretariat));
    const responseDue = submitted.submission?.responseDue ?? '';
    // France answers at once; Germany stays silent past the deadline: reminded, chased, and at the
    // second overdue notice after the deadline the secretariat is told too (the chase goes on).
    await byDirector(s, ref, 'FRA', 'response', {
      decision: 'accepted',
      comment: 'Accepté',
    });
    await eventually(
      async () => (await mail.forReference(ref)).some((m) => header(m, 'x-dipb-notification') === 'escalation'),
      40_000,
    );
    await byDirector(s, ref, 'DEU', 'response', {
      decision: 'not-accepted',
      comment: 'Nein',
    });
    const closed = await byDirector(s, ref, 'FRA', 'progress', {
      status: 'implemented',
      comment: 'Fait',
    });
    expect(closed.stage).toBe('closed');

    const all = await eventually(async () => {
      const got = await mail.forReference(ref);
      return got.filter((m) => header(m, 'x-dipb-notification') === 'closed').length === 3 ? got : undefined;
    }, 20_000);

    // The chase goes on after the escalation until Germany answers: how many more notices that makes depends
    // on when the answer lands, so they are counted from the trail, and each must have been due before it.
    const trail = await events(s.api, s.who.secretariat, ref);
    const answered = trail.find((e) => e.type === 'national-response' && e.data.nation === 'DEU');
    const escalation = trail.find((e) => e.type === 'notification-sent' && e.data.kind === 'escalation');
    const overdue = trail.filter((e) => e.type === 'notification-sent' && e.data.kind === 'response-overdue');
    expect(overdue.every((e) => String(e.data.dueAt) < String(answered?.at))).toBe(true);
    const chasedOn = overdue.filter((e) => String(e.data.dueAt) > String(escalation?.data.dueAt)).length;

    expect(summary(all)).toEqual(
      [
        'consensus-call → wg-ic.fra@mod.example',
        'consensus-call → wg-ic.deu@mod.example',
        'consensus-reminder → wg-ic.deu@mod.example',
        'approval-call → senior.fra@mod.example',
        'approval-call → senior.deu@mod.example',
        'approval-reminder → senior.fra@mod.example',
        'approval-reminder → senior.deu@mod.example',
        `approved → ${SECRETARIAT}`,
        'submission → director.fra@mod.example',
        'submission → director.deu@mod.example',
        'response-reminder → director.deu@mod.example',
        'response-overdue → director.deu@mod.example',
        'response-overdue → director.deu@mod.example',
        'response-overdue → director.deu@mod.example',
        ...Array.from({ length: chasedOn }, () => 'response-overdue → director.deu@mod.example'),
        `escalation → ${SECRETARIAT}`,
        `closed → ${SECRETARIAT}`,
        'closed → director.fra@mod.example',
        'closed → director.deu@mod.example',
      ].sort(),
    );

    // Each message once: as many distinct Message-IDs as messages.
    expect(new Set(all.map((m) => messageId(m))).size).toBe(all.length);
    for (const m of all) {
      expect(m.subject.startsWith(`[${ref}]`)).toBe(true);
      expect(header(m, 'x-dipb-reference')).toBe(ref);
    }

    // The submission: French to France, English to Germany, each with the deadline written its own way.
    const submissionTo = (address: string) =>
      all.find((m) => header(m, 'x-dipb-notification') === 'submission' && m.to[0]?.address === address);
    const fra = submissionTo('director.fra@mod.example');
    const deu = submissionTo('director.deu@mod.example');
    const due = new Date(responseDue);
    const brussels = (locale: string) =>
      new Intl.DateTimeFormat(locale, {
        timeZone: 'Europe/Brussels',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      }).format(due);
    expect(fra?.text).toContain('heure de Bruxelles');
    expect(fra?.text).toContain(brussels('fr-FR').replace(/^1 /, '1er '));
    expect(deu?.text).toContain('Brussels time');
    expect(deu?.text).toContain(brussels('en-GB'));
    expect(deu?.text).toContain('Pool demand for propellant.');

    // The audit trail holds one notification-sent event per message, with the real send time.
    const sent = trail.filter((e) => e.type === 'notification-sent');
    expect(sent.length).toBe(all.length);
    expect(sent.every((e) => typeof e.data.messageId === 'string')).toBe(true);
  });

  it('stops reminding a nation the moment it answers, and sends nothing after withdrawal', async () => {
    const { reference: ref } = await raise(s.api, s.who.secretariat, {
      nations: ['ITA', 'ESP'],
      policy: {
        consensusSilence: 'PT1S',
        approvalSilence: 'PT1S',
        silenceReminders: [],
        responseDue: 'PT6S',
        responseReminders: ['PT4S'],
        overdueEvery: 'PT1S',
        escalateAfter: 5,
      },
    });
    expectOk(await post(`/api/v1/recommendations/${ref}/consensus`, s.who.secretariat, { silence: 'PT1S' }));
    await waitForStage(s.api, s.who.secretariat, ref, 'approved');
    expectOk(await post(`/api/v1/recommendations/${ref}/submission`, s.who.secretariat));
    await byDirector(s, ref, 'ITA', 'response', {
      decision: 'under-consideration',
      comment: 'Studying',
    });
    await byDirector(s, ref, 'ITA', 'response', {
      decision: 'accepted',
      comment: 'Yes',
    });
    // Spain is chased; withdraw once its first overdue notice is out.
    await eventually(
      async () => (await mail.forReference(ref)).some((m) => header(m, 'x-dipb-notification') === 'response-overdue'),
      20_000,
    );
    expectOk(
      await post(`/api/v1/recommendations/${ref}/withdrawal`, s.who.secretariat, { reason: 'Overtaken by events' }),
    );
    // The run ends once the withdrawal's notices are recorded: no timer of its can fire any more, and every
    // message it sent is in the trail, so the mailbox is complete once it holds as many.
    await s.temporal.client.workflow.getHandle(ref).result();
    const trail = await events(s.api, s.who.secretariat, ref);
    const sent = trail.filter((e) => e.type === 'notification-sent');
    const all = await eventually(async () => {
      const got = await mail.forReference(ref);
      return got.length >= sent.length ? got : undefined;
    }, 20_000);
    const kinds = (address: string) =>
      all.filter((m) => m.to[0]?.address === address).map((m) => header(m, 'x-dipb-notification'));
    expect(kinds('director.ita@mod.example').filter((k) => k !== 'submission' && k !== 'withdrawn')).toEqual([]);
    expect(
      all
        .filter((m) => header(m, 'x-dipb-notification')?.startsWith('response-'))
        .every((m) => m.to[0]?.address === 'director.esp@mod.example'),
    ).toBe(true);
    // After the withdrawal only the withdrawal notices themselves go out, and what was due before it and already on its way.
    const withdrawal: EventLine | undefined = trail.find((e) => e.type === 'withdrawn');
    const sentAfter = sent.filter((e) => e.seq > (withdrawal?.seq ?? 0));
    expect(
      sentAfter.filter((e) => e.data.kind !== 'withdrawn' && String(e.data.dueAt) > String(withdrawal?.at)),
    ).toEqual([]);
    expect(all.filter((m) => header(m, 'x-dipb-notification') === 'withdrawn').length).toBe(3);
  });

  it('sends the reminders composed ahead when another nation speaks just before they are due', async () => {
    // The reminder falls 6 s after the call; it is composed as soon as the round opens.
    const { reference: ref } = await raise(s.api, s.who.secretariat, {
      nations: ['ITA', 'ESP', 'DEU'],
      policy: { ...FAST_POLICY, consensusSilence: 'PT12S', approvalSilence: 'PT12S', silenceReminders: ['PT6S'] },
    });
    const called = expectOk(await post(`/api/v1/recommendations/${ref}/consensus`, s.who.secretariat));
    const dueAt = Date.parse(called.consensus?.deadline ?? '') - 6000;
    const pg = new Pg({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    const rows = async () =>
      (
        await pg.query<{ nation: string; status: string; composedAhead: boolean }>(
          `SELECT recipient->>'nation' AS nation, status, prepared_at IS NOT NULL AS "composedAhead" FROM notifications
            WHERE reference = $1 AND kind = 'consensus-reminder' ORDER BY 1`,
          [ref],
        )
      ).rows;
    try {
      await eventually(async () => ((await rows()).length === 3 ? true : undefined), 4000);
      expect(await rows()).toEqual(
        ['DEU', 'ESP', 'ITA'].map((nation) => ({ nation, status: 'pending', composedAhead: true })),
      );
      // Italy concurs a second before the reminders are due: the plan changes at the instant's doorstep.
      await sleep(dueAt - 1000 - Date.now());
      expectOk(
        await post(`/api/v1/recommendations/${ref}/consensus/positions`, await s.who.wg('ITA'), {
          position: 'concur',
          comment: '',
        }),
      );
      const trail = await untilSent(s.api, s.who.secretariat, ref, 'consensus-reminder', 2, 15_000);
      const concurred = trail.find((e) => e.type === 'consensus-position');
      // The fault happened: Italy spoke after its reminder was composed and within 2 s of the instant.
      const margin = dueAt - Date.parse(concurred?.at ?? '');
      expect(margin).toBeGreaterThan(0);
      expect(margin).toBeLessThan(2000);
      // What became of each reminder (`notification-due` marks the instant; its outcomes name the recipient).
      const reminders = trail.filter((e) => e.data.kind === 'consensus-reminder' && e.type !== 'notification-due');
      expect(reminders.map((e) => [e.type, (e.data.recipient as { nation: string }).nation]).sort()).toEqual([
        ['notification-sent', 'DEU'],
        ['notification-sent', 'ESP'],
      ]);
      const delivered = await eventually(async () => {
        const got = (await mail.forReference(ref)).filter(
          (m) => header(m, 'x-dipb-notification') === 'consensus-reminder',
        );
        return got.length >= 2 ? got : undefined;
      }, 10_000);
      expect(delivered.map((m) => m.to[0]?.address).sort()).toEqual(['wg-ic.deu@mod.example', 'wg-ic.esp@mod.example']);
      // What went is what was composed ahead (kept through the change); Italy's was released with the
      // plan that held it: its row is gone, nothing is left pending.
      await eventually(async () => ((await rows()).length === 2 ? true : undefined), 10_000);
      expect(await rows()).toEqual([
        { nation: 'DEU', status: 'sent', composedAhead: true },
        { nation: 'ESP', status: 'sent', composedAhead: true },
      ]);
    } finally {
      await pg.end();
    }
  });

  it('survives a worker killed while it is sending: every director gets the submission exactly once, and the deadlines still run', async () => {
    const { reference: ref } = await raise(s.api, s.who.secretariat, {
      nations: undefined,
      // The reminder falls due 15 s after submission: after the killed worker's tasks have moved to the
      // new one (Temporal waits up to 10 s on a dead worker's sticky queue), so it is sent on time, not
      // caught up into the overdue notice.
      policy: {
        consensusSilence: 'PT1S',
        approvalSilence: 'PT1S',
        silenceReminders: [],
        responseDue: 'PT30S',
        responseReminders: ['PT15S'],
        overdueEvery: 'PT60S',
        escalateAfter: 1,
      },
    });
    expectOk(await post(`/api/v1/recommendations/${ref}/consensus`, s.who.secretariat, { silence: 'PT1S' }));
    await waitForStage(s.api, s.who.secretariat, ref, 'approved');
    await eventually(
      async () => (await mail.forReference(ref)).some((m) => header(m, 'x-dipb-notification') === 'approved'),
      20_000,
    );

    let sentBeforeKill = 0;
    // The worker now sends through a slow link (each SMTP reply 25 ms late), so the 32 submissions take
    // seconds and the kill lands in the middle of the batch.
    const slow = new TcpProxy(SLOW_SMTP_PORT, Number(process.env.SMTP_PORT ?? 1125), '127.0.0.1', 25);
    await slow.open();
    await s.worker!.stop();
    s.worker = await startWorker({ SMTP_PORT: String(SLOW_SMTP_PORT) });
    try {
      const submitted = expectOk(await post(`/api/v1/recommendations/${ref}/submission`, s.who.secretariat));
      expect(submitted.stage).toBe('submitted');
      await eventually(
        async () => (await mail.forReference(ref)).some((m) => header(m, 'x-dipb-notification') === 'submission'),
        20_000,
        20,
      );
      // While the batch crawls over the slow link, a command is answered at once: it never waits on mail.
      const t0 = Date.now();
      const answered = await post(`/api/v1/recommendations/${ref}/nations/ALB/response`, await s.who.director('ALB'), {
        decision: 'under-consideration',
        comment: 'Studying',
      });
      const answerMs = Date.now() - t0;
      process.stdout.write(
        `[notifications] a response while 32 submissions go over a slow SMTP link: ${answered.status} in ${answerMs} ms\n`,
      );
      expect(answered.status).toBe(200);
      expect(answerMs).toBeLessThan(2000);
      await s.worker.kill();
      sentBeforeKill = (await mail.forReference(ref)).filter(
        (m) => header(m, 'x-dipb-notification') === 'submission',
      ).length;
      s.worker = await startWorker({ SMTP_PORT: String(SLOW_SMTP_PORT) });
    } finally {
      afterwards.push(() => slow.close());
    }

    const submissions = await eventually(async () => {
      const got = (await mail.forReference(ref)).filter((m) => header(m, 'x-dipb-notification') === 'submission');
      return new Set(got.map((m) => messageId(m))).size === 32 ? got : undefined;
    }, 60_000);
    expect(sentBeforeKill).toBeGreaterThan(0);
    expect(sentBeforeKill).toBeLessThan(32);
    // Distinct Message-IDs: one per director; any resend after the crash carries the same Message-ID.
    const byId = new Map<string, Set<string>>();
    for (const m of submissions)
      byId.set(messageId(m) ?? '', new Set([...(byId.get(messageId(m) ?? '') ?? []), m.to[0]?.address ?? '']));
    expect(byId.size).toBe(32);
    expect([...byId.values()].every((to) => to.size === 1)).toBe(true);
    expect(submissions.length).toBeLessThanOrEqual(33);

    // The timers survived the crash: the response reminder falls due and goes to all 32, once each. The
    // trail records a batch once all of it is out, so no late copy can still be on its way after that.
    const trail = await untilSent(s.api, s.who.secretariat, ref, 'response-reminder', 32, 45_000);
    const reminders = await eventually(async () => {
      const got = (await mail.forReference(ref)).filter(
        (m) => header(m, 'x-dipb-notification') === 'response-reminder',
      );
      return got.length >= 32 ? got : undefined;
    }, 20_000);
    expect(new Set(reminders.map((m) => messageId(m))).size).toBe(32);
    expect(trail.filter((e) => e.type === 'notification-sent' && e.data.kind === 'response-reminder').length).toBe(32);
    expect(trail.filter((e) => e.type === 'submitted').length).toBe(1);
    expect(trail.filter((e) => e.type === 'notification-sent' && e.data.kind === 'submission').length).toBe(32);
  });
});
