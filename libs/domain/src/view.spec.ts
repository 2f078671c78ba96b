import { chaseSlot } from './slots';
import { initial } from './evolve';
import { actors, DAY, HOUR, inStage, NATIONS, policy, REF, run } from './testing/fixtures';
import { instantMs, toIso } from './time';
import { toView } from './view';

describe('toView', () => {
  it('shows a recommendation in follow-up with each nation’s next due date, next reminder and overdue flag', () => {
    const { state, now } = inStage('follow-up'); // FRA accepted; DEU, ITA, POL silent past the deadline
    const responseDue = state.submission?.responseDue as string;
    const fraDue = state.tracks[0]?.chase?.dueAt as string;
    const view = toView(state, now);
    expect(view).toMatchObject({
      reference: REF,
      workflowId: REF,
      stage: 'follow-up',
      revision: 1,
      workingGroup: 'SCS',
      language: 'en',
      targetNations: NATIONS,
      priority: false,
      policy: state.policy,
      submission: state.submission,
      nextDeadline: responseDue,
      closedAt: null,
      withdrawal: null,
      outcome: null,
    });
    expect(view.consensus).toEqual({
      round: 1,
      revision: 1,
      openedAt: state.consensus?.openedAt,
      deadline: state.consensus?.deadline,
      deadlineRule: null,
      positions: [],
      outcome: 'held',
    });
    expect(view.approval).toMatchObject({ round: 1, outcome: 'held' });
    expect(view.nations).toEqual([
      {
        code: 'FRA',
        state: 'accepted',
        response: {
          decision: 'accepted',
          comment: 'We accept.',
          plannedCompletion: null,
          at: state.tracks[0]?.response?.at,
        },
        progress: [],
        nextDue: fraDue,
        nextDueRule: null,
        nextReminderAt: toIso(instantMs(fraDue) - 14 * DAY),
        overdue: false,
      },
      ...['DEU', 'ITA', 'POL'].map((code) => ({
        code,
        state: 'awaiting-response',
        response: null,
        progress: [],
        nextDue: responseDue,
        nextDueRule: null,
        // The overdue notice at the deadline went out; the next is 14 days later.
        nextReminderAt: toIso(instantMs(responseDue) + 14 * DAY),
        overdue: true,
      })),
    ]);
  });

  it('shows a priority recommendation as one, from the raised event, and an older one as not', () => {
    const raised = {
      type: 'raised' as const,
      at: '2026-03-02T09:00:00.000Z',
      actor: { id: 'sec-1', role: 'secretariat' as const },
      revision: 1,
      data: {
        title: 'T',
        textHash: '0'.repeat(64),
        workingGroup: 'IC',
        language: 'en',
        nations: ['FRA'],
        policy: policy(),
        rapporteur: null,
      },
    };
    expect(toView(initial(REF, { ...raised, data: { ...raised.data, priority: true } }), 0).priority).toBe(true);
    expect(toView(initial(REF, raised), 0).priority).toBe(false);
  });

  it('agrees with the chase schedule for every nation', () => {
    const { state, now } = inStage('submitted');
    const view = toView(state, now);
    view.nations.forEach((n, i) => {
      const chase = state.tracks[i]?.chase;
      expect(n.nextReminderAt).toBe(chase ? toIso(chaseSlot(chase, state.policy, chase.next).at) : null);
      expect(n.overdue).toBe(false);
    });
    expect(view.nations.map((n) => n.nextReminderAt)).toEqual([
      toIso(instantMs(state.tracks[0]?.chase?.dueAt as string) - 14 * DAY),
      ...['DEU', 'ITA', 'POL'].map(() => toIso(instantMs(state.submission?.responseDue as string) - 30 * DAY)),
    ]);
  });

  it('a nation is overdue from its due date on, not before', () => {
    const { state } = inStage('submitted');
    const due = instantMs(state.submission?.responseDue as string);
    expect(toView(state, due - 1).nations[1]?.overdue).toBe(false);
    expect(toView(state, due).nations[1]?.overdue).toBe(true);
  });

  it('never shows who acted (the actor stays in the audit trail), and survives JSON', () => {
    const { state, now } = inStage('follow-up');
    const reported = run(
      state,
      actors.director('FRA'),
      { type: 'report-progress', nation: 'FRA', status: 'in-progress', percent: 10, comment: 'x' },
      now,
    ).state;
    const view = toView(reported, now);
    expect(view.nations[0]?.progress).toEqual([
      { status: 'in-progress', percent: 10, comment: 'x', evidenceUrl: null, at: toIso(now) },
    ]);
    expect(JSON.stringify(view)).not.toMatch(/"by"/);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('before submission there are no nations; a WG round shows its positions', () => {
    const { state, now } = inStage('wg-consensus');
    const spoken = run(
      state,
      actors.wgMember('ITA'),
      { type: 'consensus-position', position: 'abstain', comment: 'n/a' },
      now,
    ).state;
    const view = toView(spoken, now);
    expect(view.nations).toEqual([]);
    expect(view.consensus?.positions).toEqual([{ nation: 'ITA', position: 'abstain', comment: 'n/a', at: toIso(now) }]);
    expect(view.nextDeadline).toBe(state.consensus?.deadline);
    expect(toView(inStage('drafting').state, now)).toMatchObject({
      stage: 'drafting',
      consensus: null,
      approval: null,
      submission: null,
      nations: [],
      nextDeadline: null,
    });
  });

  it('a closed or withdrawn recommendation shows nothing due and nothing overdue', () => {
    for (const stage of ['closed', 'withdrawn'] as const) {
      const { state, now } = inStage(stage);
      const view = toView(state, now + 1000 * DAY);
      expect(view.nextDeadline).toBeNull();
      for (const n of view.nations) expect(n).toMatchObject({ nextDue: null, nextReminderAt: null, overdue: false });
    }
    const closed = toView(inStage('closed').state, 0);
    expect(closed.outcome).toMatchObject({
      reason: 'superseded by DIPB-2026-0042',
      // One nation accepted; the three that never answered are not in the denominator (rates.ts).
      acceptanceRate: 1,
      implementationRate: 0,
    });
    expect(closed.closedAt).not.toBeNull();
    const withdrawn = inStage('withdrawn');
    expect(toView(withdrawn.state, withdrawn.now).withdrawal).toEqual({
      reason: 'superseded',
      at: toIso(withdrawn.now - HOUR),
    });
  });
});
