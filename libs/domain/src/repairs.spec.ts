import { decide } from './commands';
import { actOf } from './links';
import { replay } from './replay';
import { isStillDue, nextDueAt, advance } from './schedule';
import { chaseSlot } from './slots';
import { originalIdentity, parseNotificationIdentity } from './repairs';
import { describeDue } from './due-summary';
import { actors, DAY, inStage, REF, run } from './testing/fixtures';
import { instantMs, toIso } from './time';
import type { RecordedEvent } from './events';

const sec = actors.secretariat();

describe('move-deadline', () => {
  const { state, now } = inStage('submitted');
  const dueAt = toIso(now + 200 * DAY);
  const move = { type: 'move-deadline' as const, nation: 'DEU' as const, dueAt, reason: 'DEU asked for more time' };

  it('moves one nation’s chase: its reminders follow the new date, the others keep theirs', () => {
    const step = run(state, sec, move, now);
    const deu = step.state.tracks.find((t) => t.code === 'DEU');
    const ita = step.state.tracks.find((t) => t.code === 'ITA');
    expect(deu?.chase).toMatchObject({ kind: 'response', dueAt, next: 0 });
    expect(ita?.chase?.dueAt).toBe(state.submission?.responseDue);
    expect(step.events).toEqual([
      expect.objectContaining({
        type: 'deadline-moved',
        actor: expect.objectContaining({ id: sec.id, role: 'secretariat' }),
        data: expect.objectContaining({
          nation: 'DEU',
          from: state.submission?.responseDue,
          dueAt,
          reason: 'DEU asked for more time',
        }),
      }),
    ]);
    // The first reminder of DEU's new schedule is 30 days before the new date.
    expect(chaseSlot(deu!.chase!, step.state.policy, 0).at).toBe(instantMs(dueAt) - 30 * DAY);
  });

  it('announces the move at once to the nation’s director, with the new deadline, the reason and a link to answer', () => {
    const step = run(state, sec, move, now);
    expect(step.notifications).toEqual([
      expect.objectContaining({
        kind: 'deadline-moved',
        recipient: { role: 'director', nation: 'DEU' },
        nation: 'DEU',
        deadline: dueAt,
        dueAt: toIso(now),
        note: 'DEU asked for more time',
        identity: `${REF}/deadline-moved/director-DEU/DEU/response/${dueAt}/moved`,
      }),
    ]);
    const notice = step.notifications[0]!;
    expect(actOf(notice)).toEqual({ act: 'respond', role: 'director', nation: 'DEU' });
    expect(isStillDue(step.state, notice)).toBe(true);
    // Moved again before the notice went: the first notice is no longer due, the second one is.
    const later = toIso(now + 210 * DAY);
    const again = run(step.state, sec, { ...move, dueAt: later }, now + 1000);
    expect(isStillDue(again.state, notice)).toBe(false);
    expect(again.notifications.map((n) => n.deadline)).toEqual([later]);
    // Its identity parses back, for a resend.
    expect(parseNotificationIdentity(notice.identity)).toMatchObject({ kind: 'deadline-moved' });
  });

  it('a reminder planned for the old date is no longer sent', () => {
    const before = advance(state, instantMs(state.submission!.responseDue) - 7 * DAY);
    const reminder = before.notifications.find((n) => n.nation === 'DEU');
    expect(reminder).toBeDefined();
    const moved = run(state, sec, move, now).state;
    expect(isStillDue(moved, reminder!)).toBe(false);
  });

  it('past slots of the new schedule count as sent (no burst of catch-up reminders)', () => {
    const soon = toIso(now + 2 * DAY); // the 30- and 7-day reminders are already past
    const step = run(state, sec, { ...move, dueAt: soon }, now);
    expect(step.state.tracks.find((t) => t.code === 'DEU')?.chase?.next).toBe(2);
    expect(nextDueAt(step.state)).toBe(
      Math.min(instantMs(soon) - DAY, instantMs(state.submission!.responseDue) - 30 * DAY),
    );
  });

  it('is refused for a past date, a nation that has nothing due, or without a reason', () => {
    expect(decide(state, sec, { ...move, dueAt: toIso(now - DAY) }, now)).toMatchObject({
      ok: false,
      refusal: { kind: 'invalid' },
    });
    expect(decide(state, sec, { ...move, nation: 'GBR' }, now)).toMatchObject({
      ok: false,
      refusal: { kind: 'invalid' },
    });
    expect(decide(state, sec, { ...move, reason: ' ' }, now)).toMatchObject({
      ok: false,
      refusal: { kind: 'invalid' },
    });
    expect(decide(state, actors.director('DEU'), move, now)).toMatchObject({
      ok: false,
      refusal: { kind: 'forbidden' },
    });
    const same = run(state, sec, move, now).state;
    expect(decide(same, sec, move, now)).toEqual({ ok: true, duplicate: true });
  });

  it('replay of the audit trail gives the moved date', () => {
    const step = run(state, sec, move, now);
    const events: RecordedEvent[] = step.events.map((e, i) => ({ ...e, seq: 100 + i, reference: REF }));
    const fromSubmission: RecordedEvent = {
      type: 'submitted',
      at: state.submission!.submittedAt,
      actor: sec as never,
      revision: 1,
      seq: 1,
      reference: REF,
      data: { ...state.submission },
    };
    const raisedEvent: RecordedEvent = {
      type: 'raised',
      at: state.createdAt,
      actor: { id: 'sec', role: 'secretariat' },
      revision: 1,
      seq: 0,
      reference: REF,
      data: {
        title: state.title,
        textHash: state.textHash,
        workingGroup: state.workingGroup,
        language: state.language,
        nations: state.nations,
        policy: state.policy,
        rapporteur: null,
      },
    };
    const view = replay([raisedEvent, fromSubmission, ...events], now + 1);
    expect(view?.nations.find((n) => n.code === 'DEU')?.nextDue).toBe(dueAt);
  });
});

describe('resend-notification', () => {
  const { state, now } = inStage('submitted');
  const identity = `${REF}/submission/director-FRA/revision-1`;
  const resend = { type: 'resend-notification' as const, identity, reason: 'FRA director address corrected' };

  it('parses identities', () => {
    expect(parseNotificationIdentity(identity)).toEqual({
      reference: REF,
      kind: 'submission',
      recipient: { role: 'director', nation: 'FRA' },
      about: 'revision-1',
    });
    expect(
      parseNotificationIdentity(`${REF}/escalation/secretariat/DEU/response/2026-06-01T00:00:00.000Z/x`)?.recipient,
    ).toEqual({ role: 'secretariat' });
    expect(parseNotificationIdentity('nonsense')).toBeNull();
    expect(originalIdentity(`${identity}/resend-2`)).toBe(identity);
  });

  it('requests the same message again under a new identity, numbered per original, and records who asked', () => {
    const first = run(state, sec, resend, now);
    expect(first.notifications).toEqual([
      expect.objectContaining({
        identity: `${identity}/resend-1`,
        resendOf: identity,
        kind: 'submission',
        recipient: { role: 'director', nation: 'FRA' },
        deadline: state.submission?.responseDue,
        dueAt: toIso(now),
      }),
    ]);
    expect(first.events[0]).toMatchObject({
      type: 'notification-resent',
      actor: { id: sec.id, role: 'secretariat' },
      data: { resendOf: identity, reason: resend.reason },
    });
    const second = run(first.state, sec, { ...resend, identity: `${identity}/resend-1` }, now + 1000);
    expect(second.notifications[0]?.identity).toBe(`${identity}/resend-2`);
  });

  it('a resend is always still due (the operator decides), even of a message no longer relevant', () => {
    const { state: followUp, now: later } = inStage('follow-up');
    const step = run(
      followUp,
      sec,
      {
        ...resend,
        identity: `${REF}/response-reminder/director-DEU/DEU/response/${followUp.submission!.responseDue}/x`,
      },
      later,
    );
    expect(isStillDue(step.state, step.notifications[0]!)).toBe(true);
  });

  it('is refused for an identity of another recommendation', () => {
    expect(
      decide(state, sec, { ...resend, identity: 'DIPB-2026-9999/submission/director-FRA/revision-1' }, now),
    ).toMatchObject({ ok: false, refusal: { kind: 'invalid' } });
  });
});

describe('describeDue (timer summaries in the Temporal UI)', () => {
  it('names the reminder, the nations and the due date', () => {
    const { state } = inStage('submitted');
    const due = nextDueAt(state);
    expect(due).not.toBeNull();
    expect(describeDue(state, due!)).toMatch(
      /^response-reminder to DEU, ITA, POL \(response due \d{4}-\d{2}-\d{2} \d{2}:\d{2}Z\)$/,
    );
  });
  it('names the end of a silence procedure', () => {
    const { state } = inStage('wg-consensus');
    expect(describeDue(state, instantMs(state.consensus!.deadline))).toContain('consensus silence ends (round 1)');
  });
});
