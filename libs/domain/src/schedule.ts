import { SYSTEM_ACTOR, type ActorRef } from './actor';
import { deadlineAfter, describePlacement, quietFor } from './calendar';
import type { DomainEvent } from './events';
import { evolve } from './evolve';
import { messagesFor } from './messages';
import type { NotificationRequest } from './notification';
import {
  computeOutcome,
  isFinalNationState,
  type Chase,
  type NationTrack,
  type RecommendationState,
  type Round,
} from './recommendation';
import { chaseSlot, escalatesBetween, latestChaseSlot, latestDueSlot, roundSlots } from './slots';
import { instantMs, toIso } from './time';

export { isStillDue } from './messages';

/** What a command or the passing of time did: the new state, the events that say so, the mail owed. */
export interface Step {
  state: RecommendationState;
  events: DomainEvent[];
  notifications: NotificationRequest[];
}

/** Folds `events` into `state` with `evolve`, collecting the messages each one makes owed. */
export function run(state: RecommendationState, events: DomainEvent[]): Step {
  let s = state;
  const notifications: NotificationRequest[] = [];
  for (const e of events) {
    const next = evolve(s, e);
    notifications.push(...messagesFor(s, next, e));
    s = next;
  }
  return { state: s, events, notifications };
}

function activeRound(state: RecommendationState): { round: Round; kind: 'consensus' | 'approval' } | null {
  if (state.stage === 'wg-consensus' && state.consensus && state.consensus.outcome === null)
    return { round: state.consensus, kind: 'consensus' };
  if (state.stage === 'senior-approval' && state.approval && state.approval.outcome === null)
    return { round: state.approval, kind: 'approval' };
  return null;
}

/** The earliest instant at which something is due: the one timer the workflow needs, whatever the number of nations. */
export function nextDueAt(state: RecommendationState): number | null {
  const candidates: number[] = [];
  const active = activeRound(state);
  if (active) {
    candidates.push(instantMs(active.round.deadline));
    const slot = roundSlots(
      active.round,
      state.policy,
      active.kind === 'consensus' ? 'consensus-reminder' : 'approval-reminder',
      quietFor(state, null),
    )[active.round.nextReminder];
    if (slot) candidates.push(slot.at);
  }
  if (state.stage === 'submitted' && state.submission) candidates.push(instantMs(state.submission.responseDue));
  if (state.stage === 'submitted' || state.stage === 'follow-up') {
    for (const track of state.tracks) {
      if (track.chase && !isFinalNationState(track.state))
        candidates.push(chaseSlot(track.chase, state.policy, track.chase.next, quietFor(state, track.code)).at);
    }
  }
  return candidates.length === 0 ? null : Math.min(...candidates);
}

/** The nearest deadline a person must meet (not a reminder), for operators and the list filter. */
export function nextDeadline(state: RecommendationState): string | null {
  const active = activeRound(state);
  if (active) return active.round.deadline;
  if (state.stage !== 'submitted' && state.stage !== 'follow-up') return null;
  const dues = state.tracks
    .filter((t) => t.chase && !isFinalNationState(t.state))
    .map((t) => instantMs((t.chase as Chase).dueAt));
  return dues.length === 0 ? null : toIso(Math.min(...dues));
}

export function isOverdue(track: NationTrack, now: number): boolean {
  return track.chase !== null && !isFinalNationState(track.state) && instantMs(track.chase.dueAt) <= now;
}

function system(
  state: RecommendationState,
  type: DomainEvent['type'],
  at: string,
  data: Record<string, unknown>,
  revision = state.revision,
): DomainEvent {
  return { type, at, actor: SYSTEM_ACTOR, revision, data };
}

/** The events of a submission to directors (by the secretariat, or by itself when the policy says so). */
export function submissionEvent(
  state: RecommendationState,
  now: number,
  by: ActorRef,
  automatic: boolean,
): DomainEvent {
  const at = toIso(now);
  const due = deadlineAfter(now, state.policy.responseDue, state.policy, state.calendar);
  const rule = state.calendar ? describePlacement(due, state.calendar) : null;
  return {
    type: 'submitted',
    at,
    actor: by,
    revision: state.revision,
    data: {
      revision: state.revision,
      submittedAt: at,
      responseDue: toIso(due.at),
      ...(rule ? { responseDueRule: rule } : {}),
      automatic,
    },
  };
}

/** The closure event, with the outcome computed from the nations' states. */
export function closureEvent(state: RecommendationState, now: number, reason: string, by: ActorRef): DomainEvent {
  return {
    type: 'closed',
    at: toIso(now),
    actor: by,
    revision: state.revision,
    data: { reason, outcome: computeOutcome(state.tracks, reason) },
  };
}

/** Closes when every target nation is final. */
export function settledClosure(state: RecommendationState, now: number): DomainEvent[] {
  if (state.stage !== 'submitted' && state.stage !== 'follow-up') return [];
  if (!state.tracks.every((t) => isFinalNationState(t.state))) return [];
  return [closureEvent(state, now, 'every target nation has reached a final state', SYSTEM_ACTOR)];
}

/**
 * Everything that has fallen due by `now`, as events: silence that held, a response deadline that
 * passed, reminders and overdue notices fired (`notification-due`, one per round or nation).
 * Pure: the workflow calls it when its one timer fires, and the same state and instant always give
 * the same events.
 */
export function dueEvents(state: RecommendationState, now: number): DomainEvent[] {
  const at = toIso(now);
  const active = activeRound(state);
  if (active) {
    const { round, kind } = active;
    if (instantMs(round.deadline) <= now) {
      // A stage changes: what is due next is planned from the new stage.
      const held = system(
        state,
        kind === 'consensus' ? 'consensus-held' : 'approval-held',
        at,
        { round: round.number, deadline: round.deadline },
        round.revision,
      );
      if (kind === 'consensus') {
        const number = (state.approval?.number ?? 0) + 1;
        const deadline = deadlineAfter(now, state.policy.approvalSilence, state.policy, state.calendar);
        const rule = state.calendar ? describePlacement(deadline, state.calendar) : null;
        return [
          held,
          system(state, 'approval-opened', at, {
            round: number,
            deadline: toIso(deadline.at),
            ...(rule ? { deadlineRule: rule } : {}),
          }),
        ];
      }
      return state.policy.autoSubmit ? [held, submissionEvent(state, now, SYSTEM_ACTOR, true)] : [held];
    }
    const slotKind = kind === 'consensus' ? 'consensus-reminder' : 'approval-reminder';
    const slots = roundSlots(round, state.policy, slotKind, quietFor(state, null));
    const i = latestDueSlot(slots, round.nextReminder, now);
    const slot = i === null ? undefined : slots[i];
    if (i === null || !slot) return [];
    return [
      system(state, 'notification-due', at, { kind: slotKind, round: round.number, slot: i, slotAt: toIso(slot.at) }),
    ];
  }

  const events: DomainEvent[] = [];
  let s = state;
  if (s.stage === 'submitted' && s.submission && instantMs(s.submission.responseDue) <= now) {
    const passed = system(s, 'response-deadline-passed', at, {
      responseDue: s.submission.responseDue,
      unanswered: s.tracks.filter((t) => t.response === null).map((t) => t.code),
    });
    events.push(passed);
    s = evolve(s, passed);
  }
  if (s.stage === 'submitted' || s.stage === 'follow-up') {
    for (const track of s.tracks) {
      const chase = track.chase;
      if (!chase || isFinalNationState(track.state)) continue;
      const quiet = quietFor(s, track.code);
      const i = latestChaseSlot(chase, s.policy, chase.next, now, quiet);
      if (i === null) continue;
      const slot = chaseSlot(chase, s.policy, i, quiet);
      const due = instantMs(chase.dueAt);
      const previous = chase.next > 0 ? chaseSlot(chase, s.policy, chase.next - 1, quiet) : undefined;
      if (slot.at >= due && (previous === undefined || previous.at < due)) {
        events.push(system(s, 'nation-overdue', at, { nation: track.code, kind: chase.kind, dueAt: chase.dueAt }));
      }
      events.push(
        system(s, 'notification-due', at, {
          kind: slot.kind,
          nation: track.code,
          chase: chase.kind,
          dueAt: chase.dueAt,
          slot: i,
          slotAt: toIso(slot.at),
          escalate: escalatesBetween(chase, s.policy, chase.next, i),
        }),
      );
    }
  }
  return [...events, ...settledClosure(s, now)];
}

/** `dueEvents` folded into the state, with the messages they owe. */
export function advance(state: RecommendationState, now: number): Step {
  return run(state, dueEvents(state, now));
}
