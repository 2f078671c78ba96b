import type { RecommendationView } from '@app/domain';
import { call, eventually, header, MailDevClient, sleep } from '@app/testing';
import { setLogMode, startMail, type MailHandle } from '../../scripts/stack';
import { events, temporalClient } from '../lifecycle.helpers';
import { firstBytes, histories, isFrozen, retryEvidence, say, scenario, untilFrozen } from './faults.helpers';

/** A MailDev of this test's own, so it can be frozen. */
const SMTP_PORT = Number(process.env.FAULTS_SMTP_HUNG_PORT ?? 15652);
const WEB_PORT = Number(process.env.FAULTS_SMTP_HUNG_WEB_PORT ?? 15653);
const HUNG_MS = 30_000;

/**
 * The SMTP server hung (SIGSTOP: connections are accepted, nothing answers — what a stuck relay
 * does) for 30 s, while a reminder batch is due and retrying. Every command sent meanwhile is
 * answered while the server is still hung; a position and then a withdrawal settle what the
 * reminders chase, so once the server answers again not one reminder reaches anyone.
 */
describe('faults: the SMTP server hung', () => {
  let mail: MailHandle | undefined;
  const s = scenario({
    setup: async () => {
      setLogMode('files'); // MailDev's output goes to .data/logs/maildev-faults-hung.log
      mail = await startMail({
        smtpPort: SMTP_PORT,
        webPort: WEB_PORT,
        mailDir: `maildev-hung-${SMTP_PORT}`,
        fresh: true,
        name: 'maildev-faults-hung',
      });
      if (!mail.started || !mail.process)
        throw new Error(`something already answers on ${SMTP_PORT}; this test must own its SMTP server`);
      // The worker gives up on a silent server after 8 s (30 s by default), so the batch is retried during the hang.
      return {
        workerEnv: { SMTP_PORT: String(SMTP_PORT), SMTP_TIMEOUT_SECONDS: '8' },
        mail: new MailDevClient(mail.apiUrl),
      };
    },
    release: () => mail?.process?.signal('SIGCONT'),
    teardown: async () => mail?.stop(),
    timeoutMs: 60_000,
  });

  it('answers every command while hung, and sends no reminder for what was settled meanwhile', async () => {
    const d = s.d;
    const sec = d.who.secretariat;
    const post = (path: string, token: string, body: unknown) =>
      call<RecommendationView>(d.api, 'POST', path, { token, body });
    const raised = await post('/api/v1/recommendations', sec, {
      title: 'Chased while the relay hangs',
      summary: 'Reminders fall due while SMTP is stuck.',
      body: 'Body.',
      workingGroup: 'IC',
      language: 'en',
      nations: ['FRA', 'DEU', 'ITA', 'POL'],
      // The reminder to those silent falls due 4 s after the call; the silence itself runs 60 s.
      policy: { consensusSilence: 'PT60S', approvalSilence: 'PT60S', silenceReminders: ['PT56S'] },
    });
    expect(raised.status).toBe(201);
    const ref = raised.body.reference;
    expect((await post(`/api/v1/recommendations/${ref}/consensus`, sec, {})).status).toBe(200);
    // The call goes out while SMTP still answers.
    await eventually(
      async () =>
        (await events(d.api, sec, ref)).filter(
          (e) => e.type === 'notification-sent' && e.data.kind === 'consensus-call',
        ).length === 4,
    );

    const proc = mail!.process!;
    proc.signal('SIGSTOP');
    const hungAt = Date.now();
    await untilFrozen(proc.pid!);
    const probe = await firstBytes(SMTP_PORT);
    say(
      `[smtp-hung] MailDev SIGSTOPped: frozen=${isFrozen(proc.pid!)}; a TCP connect to :${SMTP_PORT} ${probe.connected ? 'is accepted' : 'FAILS'}, ${probe.received.length} bytes of greeting in 1.5 s`,
    );
    expect(isFrozen(proc.pid!)).toBe(true);
    expect(probe.connected).toBe(true);
    expect(probe.received).toBe('');

    const latencies: string[] = [];
    let answeredAt = 0;
    let otherRef = '';
    try {
      // The reminder batch falls due and is stuck, then retried: the activity reaches a second attempt.
      await eventually(
        async () =>
          (await events(d.api, sec, ref)).some(
            (e) => e.type === 'notification-due' && e.data.kind === 'consensus-reminder',
          ),
        20_000,
      );
      const { client, close } = await temporalClient();
      const attempts = await eventually(
        async () => {
          const raw = (await client.workflow.getHandle(ref).describe()).raw;
          const notify = (raw.pendingActivities ?? []).find((a) => a.activityType?.name === 'notify');
          return notify && (notify.attempt ?? 1) > 1 ? (notify.attempt ?? 1) : undefined;
        },
        25_000,
        500,
      ).finally(() => close());
      say(
        `[smtp-hung] the reminder batch is retrying (attempt ${attempts}) ${((Date.now() - hungAt) / 1000).toFixed(1)} s into the hang`,
      );

      // Commands while the server is hung: each answered, at once.
      const timed = async (what: string, path: string, token: string, body: unknown): Promise<RecommendationView> => {
        const t0 = Date.now();
        const res = await post(path, token, body);
        const ms = Date.now() - t0;
        latencies.push(`${what} ${res.status} in ${ms} ms`);
        expect(res.status).toBe(200);
        expect(ms).toBeLessThan(2000);
        return res.body;
      };
      await timed('FRA concurs', `/api/v1/recommendations/${ref}/consensus/positions`, await d.who.wg('FRA'), {
        position: 'concur',
        comment: '',
      });
      await timed('DEU abstains', `/api/v1/recommendations/${ref}/consensus/positions`, await d.who.wg('DEU'), {
        position: 'abstain',
        comment: '',
      });
      const other = await post('/api/v1/recommendations', sec, {
        title: 'Raised while SMTP hangs',
        summary: 'S',
        body: 'B',
        workingGroup: 'IC',
        language: 'en',
        nations: ['ESP'],
      });
      latencies.push(`raise ${other.status}`);
      expect(other.status).toBe(201);
      otherRef = other.body.reference;
      await timed('call for consensus (another)', `/api/v1/recommendations/${other.body.reference}/consensus`, sec, {
        silence: 'PT60S',
      });
      const withdrawn = await timed('withdrawal', `/api/v1/recommendations/${ref}/withdrawal`, sec, {
        reason: 'Overtaken while the relay hung',
      });
      expect(withdrawn.stage).toBe('withdrawn');
      answeredAt = Date.now();
      await sleep(Math.max(0, HUNG_MS - (Date.now() - hungAt)));
      expect(isFrozen(proc.pid!)).toBe(true);
    } finally {
      proc.signal('SIGCONT');
    }
    say(`[smtp-hung] while hung (${((Date.now() - hungAt) / 1000).toFixed(1)} s): ${latencies.join('; ')}`);
    // Every answer came while the server was still frozen (it was thawed only after HUNG_MS).
    expect(answeredAt - hungAt).toBeLessThan(HUNG_MS);

    // Once SMTP answers: the withdrawal notices go, the reminders never do.
    const trail = await eventually(
      async () => {
        const t = await events(d.api, sec, ref);
        return t.filter((e) => e.type === 'notification-sent' && e.data.kind === 'withdrawn').length === 5
          ? t
          : undefined;
      },
      90_000,
      500,
    );
    const reminders = trail.filter(
      (e) =>
        String(e.data.kind) === 'consensus-reminder' &&
        e.type.startsWith('notification-') &&
        e.type !== 'notification-due',
    );
    say(
      `[smtp-hung] after: the 4 reminders ended as ${reminders.map((e) => `${(e.data.recipient as { nation: string }).nation}=${e.type.replace('notification-', '')}`).join(', ')}`,
    );
    expect(reminders.map((e) => e.type).sort()).toEqual([
      'notification-dropped',
      'notification-dropped',
      'notification-dropped',
      'notification-dropped',
    ]);
    const received = await d.mail.forReference(ref);
    const kinds = received.map((m) => header(m, 'x-dipb-notification'));
    say(
      `[smtp-hung] MailDev holds for ${ref}: ${kinds.filter((k) => k === 'consensus-call').length} calls, ${kinds.filter((k) => k === 'consensus-reminder').length} reminders, ${kinds.filter((k) => k === 'withdrawn').length} withdrawal notices`,
    );
    expect(kinds.filter((k) => k === 'consensus-reminder')).toEqual([]);
    expect(kinds.filter((k) => k === 'withdrawn')).toHaveLength(5);
    // The other recommendation's call, held while SMTP hung, went out once it answered.
    const held = await eventually(async () => {
      const mails = (await d.mail.forReference(otherRef)).filter(
        (m) => header(m, 'x-dipb-notification') === 'consensus-call',
      );
      return mails.length === 1 ? mails : undefined;
    }, 60_000);
    expect(held[0]?.to.map((t) => t.address)).toEqual(['wg-ic.esp@mod.example']);
    const evidence = retryEvidence(await histories([ref]));
    say(`[smtp-hung] proof: notify reached attempt ${evidence.maxAttempt.notify ?? 0}`);
    expect(evidence.maxAttempt.notify ?? 0).toBeGreaterThan(1);
  });
});
