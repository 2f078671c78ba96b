import { actorRef } from './commands';
import { consensusCall, submissionNotices } from './messages';
import { actOf, linkMatter, linkScopeFor } from './links';
import type { NotificationRequest } from './notification';
import { actors, DAY, inStage, REF, run } from './testing/fixtures';
import { instantMs } from './time';

const GRACE = 30 * DAY;

describe('personal links', () => {
  it('a submission asks its director to respond; the link lives past the deadline by the grace', () => {
    const { state } = inStage('submitted');
    const [toFra] = submissionNotices(state);
    const scope = linkScopeFor(toFra as NotificationRequest, state.workingGroup, GRACE);
    expect(scope).toEqual({
      reference: REF,
      revision: state.submission?.revision,
      round: null,
      nation: 'FRA',
      role: 'director',
      act: 'respond',
      workingGroup: null,
      expiresAt: instantMs(state.submission?.responseDue ?? '') + GRACE,
    });
  });

  it('an overdue notice sent after the deadline carries a link that lives the grace from when it was due', () => {
    const { state } = inStage('submitted');
    const due = state.submission?.responseDue ?? '';
    const sentAt = new Date(instantMs(due) + 40 * DAY).toISOString();
    const overdue: NotificationRequest = {
      identity: `${REF}/response-overdue/director-DEU/x`,
      reference: REF,
      kind: 'response-overdue',
      recipient: { role: 'director', nation: 'DEU' },
      revision: 1,
      deadline: due,
      dueAt: sentAt,
      nation: 'DEU',
      note: null,
      round: null,
    };
    expect(linkScopeFor(overdue, state.workingGroup, GRACE)?.expiresAt).toBe(instantMs(sentAt) + GRACE);
  });

  it("a consensus call asks the nation's WG delegate for a position in that round, until the round's deadline", () => {
    const { state } = inStage('wg-consensus');
    const round = state.consensus;
    if (!round) throw new Error('no round');
    const [call] = consensusCall(state, round);
    expect(linkScopeFor(call as NotificationRequest, state.workingGroup, GRACE)).toMatchObject({
      act: 'consensus-position',
      role: 'wg-member',
      nation: 'FRA',
      round: round.number,
      workingGroup: state.workingGroup,
      expiresAt: instantMs(round.deadline),
    });
  });

  it('notices and copies ask nothing', () => {
    const base = {
      identity: 'x',
      reference: REF,
      revision: 1,
      deadline: null,
      dueAt: '2026-01-01T00:00:00Z',
      nation: null,
      note: null,
      round: null,
    };
    expect(actOf({ ...base, kind: 'withdrawn', recipient: { role: 'director', nation: 'FRA' } })).toBeNull();
    expect(actOf({ ...base, kind: 'escalation', recipient: { role: 'secretariat' } })).toBeNull();
    // A submission's copy to the secretariat (undeliverable) asks the secretariat nothing.
    expect(actOf({ ...base, kind: 'submission', recipient: { role: 'secretariat' } })).toBeNull();
  });

  it('the matter is open until the nation answers finally; an interim answer leaves it open', () => {
    const { state, now } = inStage('submitted');
    const scope = { act: 'respond', nation: 'DEU', round: null } as const;
    expect(linkMatter(state, scope)).toMatchObject({ open: true });
    const interim = run(
      state,
      actors.director('DEU'),
      { type: 'respond', nation: 'DEU', decision: 'under-consideration', comment: 'Studying it.' },
      now,
    ).state;
    expect(linkMatter(interim, scope)).toMatchObject({ open: true });
    const final = run(
      interim,
      actors.director('DEU'),
      { type: 'respond', nation: 'DEU', decision: 'not-accepted', comment: 'No.' },
      now + 1000,
    ).state;
    expect(linkMatter(final, scope)).toMatchObject({ open: false, why: 'answered' });
    // FRA accepted in the fixture: its respond link is settled, its progress link open.
    expect(linkMatter(state, { act: 'respond', nation: 'FRA', round: null })).toMatchObject({
      open: false,
      why: 'answered',
    });
    expect(linkMatter(state, { act: 'report-progress', nation: 'FRA', round: null })).toMatchObject({ open: true });
  });

  it('a position link is for its round only, and only while the round runs', () => {
    const { state } = inStage('wg-consensus');
    const round = state.consensus?.number ?? 0;
    expect(linkMatter(state, { act: 'consensus-position', nation: 'ITA', round })).toMatchObject({ open: true });
    expect(linkMatter(state, { act: 'consensus-position', nation: 'ITA', round: round + 1 })).toMatchObject({
      open: false,
      why: 'round',
    });
    expect(linkMatter(state, { act: 'approval-position', nation: 'ITA', round: 1 })).toMatchObject({
      open: false,
      why: 'round',
    });
    expect(
      linkMatter(inStage('senior-approval').state, { act: 'consensus-position', nation: 'ITA', round }),
    ).toMatchObject({ open: false, why: 'stage' });
    expect(linkMatter(state, { act: 'consensus-position', nation: 'GBR', round })).toMatchObject({
      open: false,
      why: 'not-target',
    });
  });

  it('the audit trail records who acted through a link, with the link', () => {
    const link = { id: 'abc', notification: `${REF}/submission/director-FRA/revision-1` };
    const ref = actorRef(
      { ...actors.director('FRA'), link },
      { type: 'respond', nation: 'FRA', decision: 'accepted', comment: 'Yes' },
    );
    expect(ref).toEqual({ id: 'nad-FRA', role: 'director', nation: 'FRA', link });
  });
});
