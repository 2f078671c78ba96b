import type { RecommendationView } from '@app/domain';
import {
  call,
  eventually,
  header,
  MailDevClient,
  REPO_ROOT,
  startApi,
  startWorker,
  type CaughtEmail,
  type RunningApi,
  type RunningWorker,
} from '@app/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { callers, events, expectOk, FAST_POLICY, raise, waitForStage, type Callers } from '../lifecycle.helpers';

interface DirectoryChangeLine {
  nation: string;
  at: string;
  actor: { id: string; name?: string; role: string };
  before: { name: string | null; email: string; alternateEmail: string | null; language: string };
  after: { name: string | null; email: string; alternateEmail: string | null; language: string };
}

/** `npm run admin -- <args>` against the test API, as the runbook has the operator type it. */
async function admin(api: RunningApi, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/admin.ts', ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, DIPB_API_URL: api.url },
    },
  );
  return stdout;
}

/**
 * The operator's repairs (docs/operations.md), end to end against Temporal, PostgreSQL and MailDev:
 * each is a command through the API, recorded in the audit trail with who gave it.
 */
describe('repairs as commands', () => {
  let api: RunningApi;
  let worker: RunningWorker;
  let who: Callers;
  let ref: string;
  let submitted: RecommendationView;
  const mail = new MailDevClient();
  let originalFra: { name: string | null; email: string; alternateEmail: string | null } | undefined;
  let fraLanguage = 'fr';

  beforeAll(async () => {
    [api, worker] = await Promise.all([startApi(), startWorker()]);
    who = await callers();
    const nations = await call<
      {
        code: string;
        language: string;
        director: { name: string | null; email: string; alternateEmail: string | null };
      }[]
    >(api, 'GET', '/api/v1/nations', { token: who.secretariat });
    const fra = nations.body.find((n) => n.code === 'FRA');
    originalFra = fra?.director;
    fraLanguage = fra?.language ?? 'fr';
    // Long response deadline: nothing is chased during the test unless a repair makes it so.
    const raised = await raise(api, who.secretariat, {
      nations: ['FRA', 'DEU'],
      policy: {
        ...FAST_POLICY,
        consensusSilence: 'PT2S',
        approvalSilence: 'PT2S',
        silenceReminders: [],
        autoSubmit: true,
        responseDue: 'PT1H',
        responseReminders: ['PT8S'],
        overdueEvery: 'PT1H',
        escalateAfter: 1,
      },
    });
    ref = raised.reference;
    expectOk(
      await call<RecommendationView>(api, 'POST', `/api/v1/recommendations/${ref}/consensus`, {
        token: who.secretariat,
        body: { silence: 'PT2S' },
      }),
    );
    submitted = await waitForStage(api, who.secretariat, ref, 'submitted');
  }, 60_000);

  afterAll(async () => {
    if (originalFra && api) {
      await call(api, 'PUT', '/api/v1/nations/FRA/director', {
        token: who.secretariat,
        body: {
          name: originalFra.name ?? 'Directeur',
          email: originalFra.email,
          language: fraLanguage,
          ...(originalFra.alternateEmail ? { alternateEmail: originalFra.alternateEmail } : {}),
        },
      });
    }
    await worker?.stop();
    await api?.close();
  });

  it("resends FRA's submission to its corrected director address, once, with both actions in the audit trail", async () => {
    const original = `${ref}/submission/director-FRA/revision-1`;
    // The submission went out to the address the directory had then.
    await eventually(async () => {
      const rows = await call<{ identity: string; status: string }[]>(
        api,
        'GET',
        `/api/v1/recommendations/${ref}/notifications`,
        { token: who.secretariat },
      );
      return rows.body.find((n) => n.identity === original && n.status === 'sent');
    }, 20_000);

    const corrected = `nad.fra.${Date.now()}@defense.gouv.example`;
    const put = await call<{ director: { email: string } }>(api, 'PUT', '/api/v1/nations/FRA/director', {
      token: who.secretariat,
      body: { name: 'Directeur corrigé', email: corrected, language: 'fr' },
    });
    expect(put.status).toBe(200);
    expect(put.body.director.email).toBe(corrected);

    const unknown = await call(api, 'POST', `/api/v1/recommendations/${ref}/notifications/resend`, {
      token: who.secretariat,
      body: { identity: `${ref}/submission/director-ITA/revision-1`, reason: 'typo' },
    });
    expect(unknown.status).toBe(404);
    const byDirector = await call(api, 'POST', `/api/v1/recommendations/${ref}/notifications/resend`, {
      token: await who.director('FRA'),
      body: { identity: original, reason: 'x' },
    });
    expect(byDirector.status).toBe(403);

    const resend = await call<RecommendationView>(api, 'POST', `/api/v1/recommendations/${ref}/notifications/resend`, {
      token: who.secretariat,
      headers: { 'idempotency-key': `resend-${ref}` },
      body: { identity: original, reason: 'FRA director address corrected' },
    });
    expect(resend.status).toBe(200);
    // The same request retried (same Idempotency-Key) is the same resend, not a second one.
    const retried = await call(api, 'POST', `/api/v1/recommendations/${ref}/notifications/resend`, {
      token: who.secretariat,
      headers: { 'idempotency-key': `resend-${ref}` },
      body: { identity: original, reason: 'FRA director address corrected' },
    });
    expect(retried.status).toBe(200);

    const toCorrected = async () =>
      (await mail.forReference(ref)).filter((m) => m.to.some((t) => t.address === corrected));
    const received = await eventually(async () => {
      const found = await toCorrected();
      return found.length > 0 ? found : undefined;
    }, 20_000);
    expect(received).toHaveLength(1);
    expect(header(received[0]!, 'x-dipb-notification')).toBe('submission');
    expect(received[0]!.subject).toContain(`[${ref}]`);
    // The resend is recorded as sent once its message is out; a second copy would need a second resend, which the trail would show.
    const trail = await eventually(async () => {
      const got = await events(api, who.secretariat, ref);
      return got.some((e) => e.type === 'notification-sent' && e.data.identity === `${original}/resend-1`)
        ? got
        : undefined;
    }, 20_000);
    expect(await toCorrected()).toHaveLength(1);
    const resent = trail.filter((e) => e.type === 'notification-resent');
    expect(resent).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ id: 'sec-anna', role: 'secretariat' }),
        data: expect.objectContaining({
          identity: `${original}/resend-1`,
          resendOf: original,
          reason: 'FRA director address corrected',
        }),
      }),
    ]);
    const sent = trail.filter((e) => e.type === 'notification-sent' && e.data.identity === `${original}/resend-1`);
    expect(sent).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ address: corrected, status: 'sent' }) }),
    ]);
    expect(sent[0]!.seq).toBeGreaterThan(resent[0]!.seq);

    // The correction is in the directory's audit trail with who made it, before the resend; any role may read it.
    const changes = await call<DirectoryChangeLine[]>(api, 'GET', '/api/v1/nations/FRA/changes', {
      token: who.observer,
    });
    expect(changes.status).toBe(200);
    const correction = changes.body[0]!;
    expect(correction).toMatchObject({
      nation: 'FRA',
      actor: { id: 'sec-anna', name: 'Anna Secretariat', role: 'secretariat' },
      before: { email: originalFra?.email, alternateEmail: originalFra?.alternateEmail ?? null },
      after: { name: 'Directeur corrigé', email: corrected, alternateEmail: null, language: 'fr' },
    });
    expect(Date.parse(correction.at)).toBeLessThanOrEqual(Date.parse(resent[0]!.at));

    // The runbook's commands show both actions.
    const changeLines = (await admin(api, 'director-changes', 'fra')).trim().split('\n');
    expect(changeLines[0]).toContain('secretariat:sec-anna');
    expect(changeLines[0]).toContain(`<${originalFra?.email}>`);
    expect(changeLines[0]).toContain(`→  Directeur corrigé <${corrected}> fr`);
    const eventLines = (await admin(api, 'events', ref)).trim().split('\n');
    expect(eventLines.filter((l) => / notification-resent +secretariat:sec-anna$/.test(l))).toHaveLength(1);
  }, 60_000);

  it("moves DEU's deadline: its reminders follow the new date, FRA's do not move, and the move is recorded", async () => {
    const before = submitted.nations.find((n) => n.code === 'FRA');
    const dueAt = new Date(Date.now() + 12_000).toISOString();
    const refused = await call(api, 'POST', `/api/v1/recommendations/${ref}/nations/DEU/deadline`, {
      token: who.secretariat,
      body: { dueAt: '2020-01-01T00:00:00Z', reason: 'x' },
    });
    expect(refused.status).toBe(400);

    const moved = expectOk(
      await call<RecommendationView>(api, 'POST', `/api/v1/recommendations/${ref}/nations/DEU/deadline`, {
        token: who.secretariat,
        body: { dueAt, reason: 'DEU asked for two more weeks' },
      }),
    );
    const deu = moved.nations.find((n) => n.code === 'DEU');
    expect(deu?.nextDue).toBe(dueAt);
    expect(deu?.nextReminderAt).toBe(new Date(Date.parse(dueAt) - 8_000).toISOString());
    expect(moved.nations.find((n) => n.code === 'FRA')?.nextDue).toBe(before?.nextDue);

    // The move is announced at once to DEU's director, with the calendar entry that replaces the earlier one.
    const notice = await eventually(
      async () => (await mail.forReference(ref)).find((m) => header(m, 'x-dipb-notification') === 'deadline-moved'),
      10_000,
    );
    // At once: recorded sent before the first reminder of the new schedule (8 s before the new date) is due.
    const announced = await eventually(
      async () =>
        (await events(api, who.secretariat, ref)).find(
          (e) => e.type === 'notification-sent' && e.data.kind === 'deadline-moved',
        ),
      10_000,
    );
    expect(Date.parse(announced.at)).toBeLessThan(Date.parse(dueAt) - 8_000);
    expect(notice.to.map((t) => t.address)).toEqual(['director.deu@mod.example']);
    expect(notice.text).toContain('DEU asked for two more weeks');
    expect(notice.text).toContain(`/links/${ref}/DEU/respond/`);
    const files =
      (notice as CaughtEmail & { attachments?: { contentType: string; generatedFileName: string }[] }).attachments ??
      [];
    const ics = files.find((a) => a.contentType.startsWith('text/calendar'));
    const entry = await (
      await fetch(`${mail.apiUrl}/api/email/${notice.id}/attachment/${ics?.generatedFileName ?? ''}`)
    ).text();
    expect(entry).toContain(`UID:${ref}.response.director-DEU@dipb.nato.int`);
    expect(entry).toContain('SEQUENCE:1');
    expect(entry).toContain(`DTEND:${dueAt.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);

    // The reminder of the new schedule goes out (and only DEU is reminded), about the new due date.
    const reminder = await eventually(async () => {
      const found = (await mail.forReference(ref)).filter(
        (m) => header(m, 'x-dipb-notification') === 'response-reminder',
      );
      return found.length > 0 ? found : undefined;
    }, 20_000);
    expect(reminder).toHaveLength(1);
    const trail = await events(api, who.secretariat, ref);
    expect(trail.filter((e) => e.type === 'deadline-moved')).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ id: 'sec-anna', role: 'secretariat' }),
        data: expect.objectContaining({
          nation: 'DEU',
          from: before?.nextDue,
          dueAt,
          reason: 'DEU asked for two more weeks',
        }),
      }),
    ]);
    // MailDev has the message as soon as SMTP accepted it; the workflow records the delivery just after.
    const sentReminder = await eventually(
      async () =>
        (await events(api, who.secretariat, ref)).find(
          (e) => e.type === 'notification-sent' && e.data.kind === 'response-reminder',
        ),
      10_000,
    );
    expect(sentReminder.data.identity).toContain(`/DEU/response/${dueAt}/`);
  }, 60_000);

  it('compares the read model with the event log through the admin route', async () => {
    const report = await call<{ checked: string[]; differences: unknown[] }>(
      api,
      'POST',
      '/api/v1/admin/projection/rebuild',
      { token: who.secretariat, body: { reference: ref } },
    );
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ checked: [ref], differences: [] });
    const observer = await call(api, 'POST', '/api/v1/admin/projection/rebuild', { token: who.observer, body: {} });
    expect(observer.status).toBe(403);
  });
});
