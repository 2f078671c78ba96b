// FROZEN copy of libs/domain/src/schedule.ts as the v1 lifecycle ran it (see ../recommendation-lifecycle.v1.ts).
// Histories recorded by v1 replay against this code: never change what it decides.
import { SYSTEM_ACTOR } from './actor';
import type { NationCode } from './allies';
import type { DomainEvent } from './events';
import { notificationIdentity, type NotificationKind, type NotificationRequest, type Recipient } from './notification';
import type { Policy } from './policy';
import {
  computeOutcome,
  isFinalNationState,
  silentNations,
  type Chase,
  type NationTrack,
  type RecommendationState,
  type Round,
} from './recommendation';
import { durationMs, instantMs, toIso } from './time';

/** One point of a reminder schedule. */
export interface Slot {
  at: number;
  kind: NotificationKind;
}

const byDescendingLength = (a: string, b: string): number => durationMs(b) - durationMs(a);

/**
 * The schedule that chases one nation: reminders before the due date, overdue notices after it,
 * then one escalation to the secretariat. A nation that has answered has no chase, so nothing is due.
 */
export function chaseSlots(chase: Chase, policy: Policy): Slot[] {
  const due = instantMs(chase.dueAt);
  const every = durationMs(policy.overdueEvery);
  const before: Slot[] =
    chase.kind === 'response'
      ? [...policy.responseReminders].sort(byDescendingLength).map((r) => ({ at: due - durationMs(r), kind: 'response-reminder' }))
      : [{ at: due - durationMs(policy.followUpReminder), kind: 'progress-request' }];
  const overdueKind: NotificationKind = chase.kind === 'response' ? 'response-overdue' : 'progress-overdue';
  const after: Slot[] = [];
  for (let k = 0; k < policy.escalateAfter; k++) after.push({ at: due + k * every, kind: overdueKind });
  after.push({ at: due + policy.escalateAfter * every, kind: 'escalation' });
  return [...before, ...after];
}

/** Reminders of a silence procedure, before its deadline. */
export function roundSlots(round: Round, policy: Policy, kind: 'consensus-reminder' | 'approval-reminder'): Slot[] {
  const deadline = instantMs(round.deadline);
  const opened = instantMs(round.openedAt);
  return [...policy.silenceReminders]
    .sort(byDescendingLength)
    .map((r) => ({ at: deadline - durationMs(r), kind }))
    .filter((s) => s.at > opened);
}

/**
 * The latest slot at or before `now` from index `next` on. Only that one is sent: a worker that was
 * down across several due dates sends one catch-up message, not one per missed date.
 */
export function latestDueSlot(slots: Slot[], next: number, now: number): number | null {
  let found: number | null = null;
  for (let i = next; i < slots.length; i++) {
    const slot = slots[i];
    if (slot && slot.at <= now) found = i;
  }
  return found;
}

function activeRound(state: RecommendationState): { round: Round; kind: 'consensus' | 'approval' } | null {
  if (state.stage === 'wg-consensus' && state.consensus && state.consensus.outcome === null) return { round: state.consensus, kind: 'consensus' };
  if (state.stage === 'senior-approval' && state.approval && state.approval.outcome === null) return { round: state.approval, kind: 'approval' };
  return null;
}

/** The earliest instant at which something is due: the one timer the workflow needs, whatever the number of nations. */
export function nextDueAt(state: RecommendationState): number | null {
  const candidates: number[] = [];
  const active = activeRound(state);
  if (active) {
    candidates.push(instantMs(active.round.deadline));
    const slots = roundSlots(active.round, state.policy, active.kind === 'consensus' ? 'consensus-reminder' : 'approval-reminder');
    const slot = slots[active.round.nextReminder];
    if (slot) candidates.push(slot.at);
  }
  if (state.stage === 'submitted' && state.submission) candidates.push(instantMs(state.submission.responseDue));
  if (state.stage === 'submitted' || state.stage === 'follow-up') {
    for (const track of state.tracks) {
      if (!track.chase) continue;
      const slot = chaseSlots(track.chase, state.policy)[track.chase.next];
      if (slot) candidates.push(slot.at);
    }
  }
  return candidates.length === 0 ? null : Math.min(...candidates);
}

/** The nearest deadline a person must meet (not a reminder), for operators and the list filter. */
export function nextDeadline(state: RecommendationState): string | null {
  const active = activeRound(state);
  if (active) return active.round.deadline;
  if (state.stage !== 'submitted' && state.stage !== 'follow-up') return null;
  const dues = state.tracks.filter((t) => t.chase && !isFinalNationState(t.state)).map((t) => instantMs((t.chase as Chase).dueAt));
  return dues.length === 0 ? null : toIso(Math.min(...dues));
}

export function isOverdue(track: NationTrack, now: number): boolean {
  return track.chase !== null && !isFinalNationState(track.state) && instantMs(track.chase.dueAt) <= now;
}

export interface Step {
  state: RecommendationState;
  events: DomainEvent[];
  notifications: NotificationRequest[];
}

function request(
  state: RecommendationState,
  kind: NotificationKind,
  recipient: Recipient,
  about: string,
  fields: Partial<Pick<NotificationRequest, 'deadline' | 'nation' | 'note' | 'round'>> & { dueAt: string },
): NotificationRequest {
  return {
    identity: notificationIdentity(state.reference, kind, recipient, about),
    reference: state.reference,
    kind,
    recipient,
    revision: state.revision,
    deadline: fields.deadline ?? null,
    dueAt: fields.dueAt,
    nation: fields.nation ?? null,
    note: fields.note ?? null,
    round: fields.round ?? null,
  };
}

export function approvalCall(state: RecommendationState, round: Round): NotificationRequest[] {
  return state.nations.map((nation) =>
    request(state, 'approval-call', { role: 'senior-rep', nation }, `round-${round.number}`, {
      deadline: round.deadline,
      dueAt: round.openedAt,
      round: round.number,
    }),
  );
}

export function consensusCall(state: RecommendationState, round: Round): NotificationRequest[] {
  return state.nations.map((nation) =>
    request(state, 'consensus-call', { role: 'wg-member', nation }, `round-${round.number}`, {
      deadline: round.deadline,
      dueAt: round.openedAt,
      round: round.number,
    }),
  );
}

export function submissionNotices(state: RecommendationState): NotificationRequest[] {
  const submission = state.submission;
  if (!submission) return [];
  return state.nations.map((nation) =>
    request(state, 'submission', { role: 'director', nation }, `revision-${submission.revision}`, {
      deadline: submission.responseDue,
      dueAt: submission.submittedAt,
    }),
  );
}

export function openApproval(state: RecommendationState, now: number): Step {
  const number = (state.approval?.number ?? 0) + 1;
  const openedAt = toIso(now);
  const round: Round = {
    number,
    revision: state.revision,
    openedAt,
    deadline: toIso(now + durationMs(state.policy.approvalSilence)),
    positions: [],
    outcome: null,
    nextReminder: 0,
  };
  const next = { ...state, stage: 'senior-approval' as const, approval: round, updatedAt: openedAt };
  return {
    state: next,
    events: [{ type: 'approval-opened', at: openedAt, actor: SYSTEM_ACTOR, revision: state.revision, data: { round: number, deadline: round.deadline } }],
    notifications: approvalCall(next, round),
  };
}

/** Starts the chase of every target nation for its response; used on submission. */
export function submit(state: RecommendationState, now: number): RecommendationState {
  const at = toIso(now);
  const responseDue = toIso(now + durationMs(state.policy.responseDue));
  return {
    ...state,
    stage: 'submitted',
    submission: { revision: state.revision, submittedAt: at, responseDue },
    tracks: state.nations.map((code) => ({
      code,
      state: 'awaiting-response',
      response: null,
      progress: [],
      chase: { kind: 'response', dueAt: responseDue, next: 0 },
      escalated: false,
    })),
    updatedAt: at,
  };
}

/** Closes when every target nation is final; the outcome records per-nation results and rates. */
export function closeIfSettled(step: Step, now: number): Step {
  const { state } = step;
  if (state.stage !== 'submitted' && state.stage !== 'follow-up') return step;
  if (!state.tracks.every((t) => isFinalNationState(t.state))) return step;
  return closeWith(step, now, 'every target nation has reached a final state', SYSTEM_ACTOR);
}

export function closeWith(step: Step, now: number, reason: string, actor: DomainEvent['actor']): Step {
  const at = toIso(now);
  const outcome = computeOutcome(step.state.tracks, reason);
  const state: RecommendationState = {
    ...step.state,
    stage: 'closed',
    closedAt: at,
    outcome,
    updatedAt: at,
    tracks: step.state.tracks.map((t) => ({ ...t, chase: null })),
  };
  return {
    state,
    events: [...step.events, { type: 'closed', at, actor, revision: state.revision, data: { reason, outcome } }],
    notifications: [
      ...step.notifications,
      request(state, 'closed', { role: 'secretariat' }, 'closed', { dueAt: at }),
      ...state.nations.map((nation) => request(state, 'closed', { role: 'director', nation }, 'closed', { dueAt: at })),
    ],
  };
}

function chaseRecipient(kind: NotificationKind, nation: NationCode): Recipient {
  return kind === 'escalation' ? { role: 'secretariat' } : { role: 'director', nation };
}

/**
 * Everything that has fallen due by `now`: silence that held, a response deadline that passed,
 * reminders and overdue notices. Pure: the workflow calls it when its one timer fires, and the
 * same state and instant always give the same step.
 */
export function advance(state: RecommendationState, now: number): Step {
  let step: Step = { state, events: [], notifications: [] };
  const at = toIso(now);

  const active = activeRound(state);
  if (active) {
    const { round, kind } = active;
    if (instantMs(round.deadline) <= now) {
      const held: Round = { ...round, outcome: 'held' };
      if (kind === 'consensus') {
        const s = { ...step.state, consensus: held, updatedAt: at };
        const opened = openApproval(s, now);
        step = {
          state: opened.state,
          events: [
            { type: 'consensus-held', at, actor: SYSTEM_ACTOR, revision: round.revision, data: { round: round.number, deadline: round.deadline } },
            ...opened.events,
          ],
          notifications: opened.notifications,
        };
      } else {
        let s: RecommendationState = { ...step.state, approval: held, stage: 'approved', updatedAt: at };
        const events: DomainEvent[] = [
          { type: 'approval-held', at, actor: SYSTEM_ACTOR, revision: round.revision, data: { round: round.number, deadline: round.deadline } },
        ];
        const notifications: NotificationRequest[] = [
          request(s, 'approved', { role: 'secretariat' }, `round-${round.number}`, { dueAt: at, round: round.number }),
        ];
        if (s.policy.autoSubmit) {
          s = submit(s, now);
          const submission = s.submission;
          if (submission) {
            events.push({ type: 'submitted', at, actor: SYSTEM_ACTOR, revision: s.revision, data: { ...submission, automatic: true } });
          }
          notifications.push(...submissionNotices(s));
        }
        step = { state: s, events, notifications };
      }
      return step; // a stage changed: what is due next is planned from the new stage
    }
    const slotKind = kind === 'consensus' ? 'consensus-reminder' : 'approval-reminder';
    const slots = roundSlots(round, state.policy, slotKind);
    const i = latestDueSlot(slots, round.nextReminder, now);
    const slot = i === null ? undefined : slots[i];
    if (i !== null && slot) {
      const updated: Round = { ...round, nextReminder: i + 1 };
      const s = kind === 'consensus' ? { ...state, consensus: updated } : { ...state, approval: updated };
      const role = kind === 'consensus' ? 'wg-member' : 'senior-rep';
      // Only those who have not yet spoken are reminded.
      const notifications = silentNations(s, updated).map((nation) =>
        request(s, slotKind, { role, nation }, `round-${round.number}/${toIso(slot.at)}`, {
          deadline: round.deadline,
          dueAt: toIso(slot.at),
          round: round.number,
        }),
      );
      step = { state: s, events: [], notifications };
    }
    return step;
  }

  if (state.stage === 'submitted' && state.submission && instantMs(state.submission.responseDue) <= now) {
    step = {
      ...step,
      state: { ...step.state, stage: 'follow-up', updatedAt: at },
      events: [
        {
          type: 'response-deadline-passed',
          at,
          actor: SYSTEM_ACTOR,
          revision: state.revision,
          data: { responseDue: state.submission.responseDue, unanswered: state.tracks.filter((t) => t.response === null).map((t) => t.code) },
        },
      ],
    };
  }

  if (step.state.stage === 'submitted' || step.state.stage === 'follow-up') {
    const tracks: NationTrack[] = [];
    const events = [...step.events];
    const notifications = [...step.notifications];
    for (const track of step.state.tracks) {
      if (!track.chase || isFinalNationState(track.state)) {
        tracks.push(track);
        continue;
      }
      const slots = chaseSlots(track.chase, step.state.policy);
      const i = latestDueSlot(slots, track.chase.next, now);
      const slot = i === null ? undefined : slots[i];
      if (i === null || !slot) {
        tracks.push(track);
        continue;
      }
      const due = instantMs(track.chase.dueAt);
      const previous = slots[track.chase.next - 1];
      const becameOverdue = slot.at >= due && (previous === undefined || previous.at < due);
      const escalated = track.escalated || slot.kind === 'escalation';
      tracks.push({ ...track, chase: { ...track.chase, next: i + 1 }, escalated });
      if (becameOverdue) {
        events.push({ type: 'nation-overdue', at, actor: SYSTEM_ACTOR, revision: step.state.revision, data: { nation: track.code, kind: track.chase.kind, dueAt: track.chase.dueAt } });
      }
      notifications.push(
        request(step.state, slot.kind, chaseRecipient(slot.kind, track.code), `${track.code}/${track.chase.kind}/${track.chase.dueAt}/${toIso(slot.at)}`, {
          deadline: track.chase.dueAt,
          dueAt: toIso(slot.at),
          nation: track.code,
        }),
      );
    }
    step = { state: { ...step.state, tracks }, events, notifications };
  }
  return closeIfSettled(step, now);
}

/**
 * Whether a message is still owed at the moment it would be sent. A reminder for a matter settled
 * in the meantime (the nation answered, the round ended, the recommendation was withdrawn) is dropped.
 */
export function isStillDue(state: RecommendationState, request: NotificationRequest): boolean {
  // A resend is the operator's decision, even of a message no longer relevant.
  if (request.resendOf !== undefined) return true;
  const track = request.nation === null ? undefined : state.tracks.find((t) => t.code === request.nation);
  const inFollowUp = state.stage === 'submitted' || state.stage === 'follow-up';
  // The chase the message is about must still be running: same kind and same due date (a progress
  // report restarts the chase with a new due date; an acceptance replaces the response chase).
  const chasing = (kind: Chase['kind'] | null): boolean =>
    inFollowUp &&
    track !== undefined &&
    track.chase !== null &&
    (kind === null || track.chase.kind === kind) &&
    track.chase.dueAt === request.deadline &&
    !isFinalNationState(track.state);
  switch (request.kind) {
    case 'response-reminder':
    case 'response-overdue':
      return chasing('response');
    case 'progress-request':
    case 'progress-overdue':
      return chasing('progress');
    case 'escalation':
      return chasing(null);
    case 'consensus-call':
    case 'consensus-reminder': {
      const round = state.consensus;
      if (state.stage !== 'wg-consensus' || !round || round.number !== request.round) return false;
      return request.recipient.role !== 'wg-member' || !round.positions.some((p) => p.nation === (request.recipient as { nation: NationCode }).nation);
    }
    case 'approval-call':
    case 'approval-reminder': {
      const round = state.approval;
      if (state.stage !== 'senior-approval' || !round || round.number !== request.round) return false;
      return request.recipient.role !== 'senior-rep' || !round.positions.some((p) => p.nation === (request.recipient as { nation: NationCode }).nation);
    }
    case 'submission':
      return inFollowUp;
    case 'objection':
    case 'approved':
    case 'withdrawn':
    case 'closed':
      return true;
  }
}
