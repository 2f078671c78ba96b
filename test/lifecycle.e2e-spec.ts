import type { RecommendationView } from '@app/domain';
import { call, eventually } from '@app/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { byDirector, e2eStack, events, expectOk, raise, waitForStage, type EventLine } from './lifecycle.helpers';

describe('the recommendation lifecycle, driven through HTTP against Temporal, PostgreSQL and SMTP', () => {
  const s = e2eStack();

  const post = (path: string, token: string, body: unknown = {}) =>
    call<RecommendationView>(s.api, 'POST', path, { token, body });

  /**
   * The history's length once the run is idle: no activity and no workflow task pending, so only its
   * timer can add to it. Work still under way when a test looks (an activity whose result is already in
   * PostgreSQL but not yet in the history, the prepare-ahead activity) would otherwise be counted or not
   * depending on timing.
   */
  const idleHistoryLength = (handle: WorkflowHandle): Promise<number> =>
    eventually(async () => {
      const before = (await handle.fetchHistory()).events?.length ?? 0;
      const { raw } = await handle.describe();
      const after = (await handle.fetchHistory()).events?.length ?? 0;
      return (raw.pendingActivities?.length ?? 0) === 0 && !raw.pendingWorkflowTask && before === after
        ? after
        : undefined;
    });

  it('goes the straight path from raise to closed, with the outcome recorded', async () => {
    const raised = await raise(s.api, s.who.secretariat);
    const ref = raised.reference;
    expect(ref).toMatch(/^DIPB-\d{4}-\d{4}$/);
    expect(raised).toMatchObject({ stage: 'drafting', revision: 1, workflowId: ref });

    const called = expectOk(
      await post(`/api/v1/recommendations/${ref}/consensus`, s.who.secretariat, { silence: 'PT2S' }),
    );
    expect(called.stage).toBe('wg-consensus');
    expect(called.consensus).toMatchObject({ round: 1, revision: 1, outcome: null });

    const concurred = expectOk(
      await post(`/api/v1/recommendations/${ref}/consensus/positions`, await s.who.wg('FRA'), {
        position: 'concur',
        comment: 'Agreed',
      }),
    );
    expect(concurred.consensus?.positions).toEqual([expect.objectContaining({ nation: 'FRA', position: 'concur' })]);

    // Silence holds by itself at the deadline and senior approval opens.
    const inApproval = await waitForStage(s.api, s.who.secretariat, ref, 'senior-approval');
    expect(inApproval.consensus?.outcome).toBe('held');
    expectOk(
      await post(`/api/v1/recommendations/${ref}/approval/positions`, await s.who.senior('DEU'), {
        position: 'concur',
        comment: '',
      }),
    );
    await waitForStage(s.api, s.who.secretariat, ref, 'approved');

    const submitted = expectOk(await post(`/api/v1/recommendations/${ref}/submission`, s.who.secretariat));
    expect(submitted.stage).toBe('submitted');
    expect(submitted.nations.map((n) => [n.code, n.state])).toEqual([
      ['FRA', 'awaiting-response'],
      ['DEU', 'awaiting-response'],
      ['USA', 'awaiting-response'],
    ]);

    await byDirector(s, ref, 'FRA', 'response', {
      decision: 'accepted',
      comment: 'Oui',
    });
    await byDirector(s, ref, 'DEU', 'response', {
      decision: 'accepted-in-part',
      comment: 'Teilweise',
    });
    const answered = expectOk(
      await post(`/api/v1/recommendations/${ref}/nations/USA/response`, s.who.secretariat, {
        decision: 'not-accepted',
        comment: 'Not now',
      }),
    );
    expect(answered.stage).toBe('follow-up');

    await byDirector(s, ref, 'FRA', 'progress', {
      status: 'implemented',
      comment: 'Done',
      evidenceUrl: 'https://defense.gouv.example/report',
    });
    const closed = await byDirector(s, ref, 'DEU', 'progress', {
      status: 'not-implemented',
      comment: 'Budget',
    });
    expect(closed.stage).toBe('closed');
    expect(closed.outcome).toMatchObject({ acceptanceRate: 2 / 3, implementationRate: 1 / 2 });
    expect(closed.outcome?.results).toEqual([
      { nation: 'FRA', state: 'implemented' },
      { nation: 'DEU', state: 'not-implemented' },
      { nation: 'USA', state: 'not-accepted' },
    ]);

    // The record: every step is in the audit trail, once, with its actor; the secretariat's answer for USA is marked as such.
    const trail = await events(s.api, s.who.secretariat, ref);
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
    const types = trail.filter((e) => !e.type.startsWith('notification-')).map((e) => e.type);
    expect(types).toEqual([
      'raised',
      'consensus-called',
      'consensus-position',
      'consensus-held',
      'approval-opened',
      'approval-position',
      'approval-held',
      'submitted',
      'national-response',
      'national-response',
      'national-response',
      'progress-reported',
      'progress-reported',
      'closed',
    ]);
    const usa = trail.find((e) => e.type === 'national-response' && e.data.nation === 'USA');
    expect(usa?.actor).toMatchObject({ id: 'sec-anna', role: 'secretariat', onBehalfOf: 'USA' });

    // The workflow has completed, and a command now is refused in the domain's words.
    const late = await post(`/api/v1/recommendations/${ref}/withdrawal`, s.who.secretariat, { reason: 'too late' });
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
    expect((late.body as unknown as { detail: string }).detail).toContain(`recommendation ${ref} is closed`);
  });

  it('returns to drafting on a WG objection, and a revised text goes to a second round that holds', async () => {
    const { reference: ref } = await raise(s.api, s.who.secretariat);
    expectOk(await post(`/api/v1/recommendations/${ref}/consensus`, s.who.secretariat, { silence: 'PT30S' }));
    const objected = expectOk(
      await post(`/api/v1/recommendations/${ref}/consensus/positions`, await s.who.wg('DEU'), {
        position: 'object',
        comment: 'Paragraph 2 overreaches',
      }),
    );
    expect(objected.stage).toBe('drafting');
    expect(objected.consensus?.outcome).toBe('broken');

    const revised = expectOk(
      await post(`/api/v1/recommendations/${ref}/revisions`, s.who.secretariat, {
        title: 'Pool propellant demand (narrower)',
        body: 'Narrower text',
        note: 'After DEU objection',
      }),
    );
    expect(revised.revision).toBe(2);
    expect(revised).toMatchObject({ title: 'Pool propellant demand (narrower)', body: 'Narrower text' });
    // Operators see the current title in the Temporal UI: it leads the workflow's current details.
    const metadata = await s.temporal.client.workflow
      .getHandle(ref)
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails?.split('\n')[0]).toBe('**Pool propellant demand (narrower)**');
    const second = expectOk(
      await post(`/api/v1/recommendations/${ref}/consensus`, s.who.secretariat, { silence: 'PT2S' }),
    );
    expect(second.consensus).toMatchObject({ round: 2, revision: 2, outcome: null });
    const approval = await waitForStage(s.api, s.who.secretariat, ref, 'senior-approval');
    expect(approval.approval).toMatchObject({ revision: 2 });

    // An objection in senior approval also returns the text to drafting, with the reason recorded.
    const back = expectOk(
      await post(`/api/v1/recommendations/${ref}/approval/positions`, await s.who.senior('USA'), {
        position: 'object',
        comment: 'Export rules',
      }),
    );
    expect(back.stage).toBe('drafting');
    const trail = await events(s.api, s.who.secretariat, ref);
    expect(trail.filter((e) => e.type === 'consensus-broken').map((e) => e.data.reason)).toEqual([
      'Paragraph 2 overreaches',
    ]);
    expect(trail.filter((e) => e.type === 'approval-broken').map((e) => e.data.reason)).toEqual(['Export rules']);
    const revisions = await call<{ number: number; body: string }[]>(
      s.api,
      'GET',
      `/api/v1/recommendations/${ref}/revisions`,
      { token: s.who.observer },
    );
    expect(revisions.body.map((r) => [r.number, r.body])).toEqual([
      [1, '## Recommendation\n\nPool demand for propellant.'],
      [2, 'Narrower text'],
    ]);
  });

  it('refuses wrong-stage and wrong-caller commands with 409/403, leaving no trace in the history', async () => {
    const { reference: ref } = await raise(s.api, s.who.secretariat);
    const handle = s.temporal.client.workflow.getHandle(ref);
    const before = (await handle.fetchHistory()).events?.length ?? 0;

    const wrongStage = await post(`/api/v1/recommendations/${ref}/approval/positions`, await s.who.senior('FRA'), {
      position: 'concur',
      comment: '',
    });
    expect(wrongStage.status).toBe(409);
    expect((wrongStage.body as unknown as { detail: string }).detail).toMatch(
      new RegExp(
        `^recommendation ${ref} is in drafting; a senior-representative position can only be given in senior-approval\\. Allowed now: a new revision, a call for consensus, a withdrawal`,
      ),
    );

    const wrongRole = await post(`/api/v1/recommendations/${ref}/consensus`, await s.who.director('FRA'), {});
    expect(wrongRole.status).toBe(403);

    expectOk(await post(`/api/v1/recommendations/${ref}/consensus`, s.who.secretariat, { silence: 'PT60S' }));
    // The call's messages go out on their own path, after the command has answered: let them be recorded first.
    await eventually(
      async () =>
        (await events(s.api, s.who.secretariat, ref)).filter((e) => e.type === 'notification-sent').length === 3,
    );
    const afterCall = await idleHistoryLength(handle);
    const otherWg = await post(`/api/v1/recommendations/${ref}/consensus/positions`, await s.who.wg('FRA', 'SCS'), {
      position: 'concur',
      comment: '',
    });
    expect(otherWg.status).toBe(403);
    expect((otherWg.body as unknown as { detail: string }).detail).toContain('working group IC');
    const notTarget = await post(`/api/v1/recommendations/${ref}/consensus/positions`, await s.who.wg('ITA'), {
      position: 'concur',
      comment: '',
    });
    expect(notTarget.status).toBe(403);
    const noReason = await post(`/api/v1/recommendations/${ref}/consensus/positions`, await s.who.wg('FRA'), {
      position: 'object',
      comment: ' ',
    });
    expect(noReason.status).toBe(400);

    const history = await handle.fetchHistory();
    expect(history.events?.length).toBe(afterCall);
    expect(afterCall).toBeGreaterThan(before);
    const updateNames = (history.events ?? []).flatMap((e) =>
      e.workflowExecutionUpdateAcceptedEventAttributes
        ? [e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name]
        : [],
    );
    expect(updateNames).toEqual(['sync', 'call-consensus']);
  });

  it('records the same position given twice once, and answers a retried command with the same Idempotency-Key the same way', async () => {
    const { reference: ref } = await raise(s.api, s.who.secretariat);
    expectOk(await post(`/api/v1/recommendations/${ref}/consensus`, s.who.secretariat, { silence: 'PT60S' }));
    const fra = await s.who.wg('FRA');
    const once = expectOk(
      await post(`/api/v1/recommendations/${ref}/consensus/positions`, fra, { position: 'concur', comment: 'ok' }),
    );
    const twice = expectOk(
      await post(`/api/v1/recommendations/${ref}/consensus/positions`, fra, { position: 'concur', comment: 'ok' }),
    );
    expect(twice.consensus?.positions).toEqual(once.consensus?.positions);

    const key = { 'idempotency-key': `abstain-${ref}` };
    const deu = await s.who.wg('DEU');
    const a = await call<RecommendationView>(s.api, 'POST', `/api/v1/recommendations/${ref}/consensus/positions`, {
      token: deu,
      body: { position: 'abstain', comment: '' },
      headers: key,
    });
    const b = await call<RecommendationView>(s.api, 'POST', `/api/v1/recommendations/${ref}/consensus/positions`, {
      token: deu,
      body: { position: 'abstain', comment: '' },
      headers: key,
    });
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await call(s.api, 'POST', `/api/v1/recommendations/${ref}/consensus/positions`, {
      token: deu,
      body: { position: 'concur', comment: '' },
      headers: key,
    });
    expect(c.status).toBe(422);

    const trail = await events(s.api, s.who.secretariat, ref);
    expect(trail.filter((e) => e.type === 'consensus-position').map((e) => e.data.nation)).toEqual(['FRA', 'DEU']);
  });

  it.each(['drafting', 'wg-consensus', 'senior-approval', 'approved', 'submitted', 'follow-up'] as const)(
    'withdraws from %s, after which nothing more happens',
    async (stage) => {
      const { reference: ref } = await raise(s.api, s.who.secretariat, {
        policy: {
          consensusSilence: 'PT2S',
          approvalSilence: 'PT2S',
          silenceReminders: ['PT1S'],
          responseDue: 'PT3S',
          responseReminders: ['PT1S'],
          overdueEvery: 'PT1S',
          escalateAfter: 1,
        },
      });
      if (stage !== 'drafting') {
        expectOk(
          await post(`/api/v1/recommendations/${ref}/consensus`, s.who.secretariat, {
            silence: stage === 'wg-consensus' ? 'PT60S' : 'PT1S',
          }),
        );
      }
      if (stage === 'senior-approval') await waitForStage(s.api, s.who.secretariat, ref, 'senior-approval');
      if (stage === 'approved' || stage === 'submitted' || stage === 'follow-up')
        await waitForStage(s.api, s.who.secretariat, ref, 'approved');
      if (stage === 'submitted' || stage === 'follow-up')
        expectOk(await post(`/api/v1/recommendations/${ref}/submission`, s.who.secretariat));
      if (stage === 'follow-up') await waitForStage(s.api, s.who.secretariat, ref, 'follow-up');

      const view = expectOk(
        await post(`/api/v1/recommendations/${ref}/withdrawal`, s.who.secretariat, {
          reason: `Superseded while ${stage}`,
        }),
      );
      expect(view.stage).toBe('withdrawn');
      expect(view.withdrawal?.reason).toBe(`Superseded while ${stage}`);
      // The run ends after the withdrawal's notices are recorded: none of its timers can fire any more, so
      // the trail is final. Only what was already on its way when it arrived (due before it) may be recorded as sent.
      const handle = s.temporal.client.workflow.getHandle(ref);
      await handle.result();
      const trail = await events(s.api, s.who.secretariat, ref);
      const withdrawal: EventLine | undefined = trail.find((e) => e.type === 'withdrawn');
      expect(withdrawal).toBeDefined();
      const after = trail.filter((e) => e.seq > (withdrawal?.seq ?? 0));
      // Only mail bookkeeping follows: what went out, and what was owed but dropped as no longer due.
      expect(after.every((e) => e.type === 'notification-sent' || e.type === 'notification-dropped')).toBe(true);
      const sentAfter = after.filter((e) => e.type === 'notification-sent');
      const lateReminders = sentAfter.filter(
        (e) => e.data.kind !== 'withdrawn' && String(e.data.dueAt) > String(withdrawal?.at),
      );
      expect(lateReminders).toEqual([]);
      // The secretariat is told, and everyone asked to act whose matter was open.
      const told = sentAfter
        .filter((e) => e.data.kind === 'withdrawn')
        .map((e) => e.data.recipient as { role: string; nation?: string });
      const asked: Record<typeof stage, string | null> = {
        drafting: null,
        approved: null,
        'wg-consensus': 'wg-member',
        'senior-approval': 'senior-rep',
        submitted: 'director',
        'follow-up': 'director',
      };
      const role = asked[stage];
      expect(told).toEqual(
        expect.arrayContaining([
          { role: 'secretariat' },
          ...(role ? (['FRA', 'DEU', 'USA'] as const).map((nation) => ({ role, nation })) : []),
        ]),
      );
      expect(told).toHaveLength(role ? 4 : 1);
      // Nothing more happens: the run is over, and a command to it is refused.
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      expect(
        (await post(`/api/v1/recommendations/${ref}/withdrawal`, s.who.secretariat, { reason: 'again' })).status,
      ).toBe(409);
      expect((await events(s.api, s.who.secretariat, ref)).length).toBe(trail.length);
    },
  );
});
