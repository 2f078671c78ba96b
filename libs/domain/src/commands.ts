import { actorAs, hasRole, type Actor, type ActorRef, type Role } from './actor';
import type { NationCode } from './allies';
import type { DomainEvent } from './events';
import { deadlineAfter, describePlacement, quietFor } from './calendar';
import { evolve, movedChase } from './evolve';
import {
  FINAL_DECISIONS,
  isFinalNationState,
  isTerminal,
  type Decision,
  type PositionKind,
  type ProgressStatus,
  type RecommendationState,
  type Round,
  type Stage,
} from './recommendation';
import { closureEvent, run, settledClosure, submissionEvent, type Step } from './schedule';
import { MAX_DURATION_MS } from './policy';
import { originalIdentity, resendRequest } from './repairs';
import { durationMs, instantMs, isIsoDate, isIsoDuration, isIsoInstant, toIso } from './time';

export const TEXT_LIMITS = {
  title: 300,
  summary: 4000,
  body: 200_000,
  note: 2000,
  comment: 8000,
  reason: 4000,
} as const;

/**
 * A command as the workflow receives it. A revision names its text by hash (the API stored the text
 * before sending the command) and the text it was made from, so two revisions made at once cannot
 * silently overwrite each other.
 */
export type Command =
  | { type: 'revise'; title: string; textHash: string; baseTextHash: string; note: string }
  | { type: 'call-consensus'; deadline?: string; silence?: string }
  | { type: 'consensus-position'; position: PositionKind; comment: string }
  | { type: 'approval-position'; position: PositionKind; comment: string }
  | { type: 'submit' }
  | { type: 'respond'; nation: NationCode; decision: Decision; comment: string; plannedCompletion?: string }
  | {
      type: 'report-progress';
      nation: NationCode;
      status: ProgressStatus;
      percent?: number;
      comment: string;
      evidenceUrl?: string;
    }
  | { type: 'withdraw'; reason: string }
  | { type: 'close'; reason: string }
  | { type: 'move-deadline'; nation: NationCode; dueAt: string; reason: string }
  | { type: 'resend-notification'; identity: string; reason: string };

const TEXT_HASH = /^[0-9a-f]{64}$/;

export type CommandType = Command['type'];
export const COMMAND_TYPES = [
  'revise',
  'call-consensus',
  'consensus-position',
  'approval-position',
  'submit',
  'respond',
  'report-progress',
  'withdraw',
  'close',
  'move-deadline',
  'resend-notification',
] as const satisfies readonly CommandType[];

/** Where each command may be given. */
export const COMMAND_STAGES: Record<CommandType, readonly Stage[]> = {
  revise: ['drafting'],
  'call-consensus': ['drafting'],
  'consensus-position': ['wg-consensus'],
  'approval-position': ['senior-approval'],
  submit: ['approved'],
  respond: ['submitted', 'follow-up'],
  'report-progress': ['submitted', 'follow-up'],
  withdraw: ['drafting', 'wg-consensus', 'senior-approval', 'approved', 'submitted', 'follow-up'],
  close: ['submitted', 'follow-up'],
  'move-deadline': ['submitted', 'follow-up'],
  'resend-notification': ['drafting', 'wg-consensus', 'senior-approval', 'approved', 'submitted', 'follow-up'],
};

/** Who may give each command. Nation and working-group checks come on top (see `decide`). */
export const COMMAND_ROLES: Record<CommandType, readonly Role[]> = {
  revise: ['secretariat'],
  'call-consensus': ['secretariat'],
  'consensus-position': ['wg-member'],
  'approval-position': ['senior-rep'],
  submit: ['secretariat'],
  respond: ['director', 'secretariat'],
  'report-progress': ['director', 'secretariat'],
  withdraw: ['secretariat'],
  close: ['secretariat'],
  'move-deadline': ['secretariat'],
  'resend-notification': ['secretariat'],
};

const DESCRIPTION: Record<CommandType, string> = {
  revise: 'a new revision',
  'call-consensus': 'a call for consensus',
  'consensus-position': 'a WG position',
  'approval-position': 'a senior-representative position',
  submit: 'a submission to directors',
  respond: 'a national response',
  'report-progress': 'a progress report',
  withdraw: 'a withdrawal',
  close: 'a closure',
  'move-deadline': "a move of a nation's deadline",
  'resend-notification': 'a resend of a notification',
};

export type Refusal = { kind: 'stage' | 'forbidden' | 'invalid' | 'conflict'; message: string };
/** `duplicate`: the same command was already recorded; it is answered without being recorded again. */
export type Verdict = { ok: true; duplicate: boolean } | { ok: false; refusal: Refusal };

const allow: Verdict = { ok: true, duplicate: false };
const duplicate: Verdict = { ok: true, duplicate: true };
const refuse = (kind: Refusal['kind'], message: string): Verdict => ({ ok: false, refusal: { kind, message } });

export function allowedCommands(stage: Stage): CommandType[] {
  return COMMAND_TYPES.filter((c) => COMMAND_STAGES[c].includes(stage));
}

function stageRefusal(state: RecommendationState, type: CommandType): string {
  const where = COMMAND_STAGES[type];
  const now = allowedCommands(state.stage).map((c) => DESCRIPTION[c]);
  return (
    `recommendation ${state.reference} is ${isTerminal(state.stage) ? state.stage : `in ${state.stage}`}; ${DESCRIPTION[type]} can only be given in ${where.join(' or ')}` +
    (now.length > 0 ? `. Allowed now: ${now.join(', ')}` : '. Nothing more can be done to it')
  );
}

function actingNation(actor: Actor): NationCode | undefined {
  return actor.nation;
}

/** The actor as the audit trail records it for this command. */
export function actorRef(actor: Actor, command: Command): ActorRef {
  // Someone who is a director and in the secretariat, answering for another nation, acts as the secretariat.
  const forOtherNation =
    (command.type === 'respond' || command.type === 'report-progress') && actor.nation !== command.nation;
  const role: Role =
    (forOtherNation && hasRole(actor, 'secretariat') ? 'secretariat' : undefined) ??
    COMMAND_ROLES[command.type].find((r) => hasRole(actor, r)) ??
    actor.roles[0] ??
    'observer';
  const ref = actorAs(actor, role);
  if ((command.type === 'respond' || command.type === 'report-progress') && role === 'secretariat')
    ref.onBehalfOf = command.nation;
  return ref;
}

function currentRound(state: RecommendationState, type: 'consensus-position' | 'approval-position'): Round | null {
  return type === 'consensus-position' ? state.consensus : state.approval;
}

/**
 * Whether `actor` may give `command` now. Pure and synchronous: the workflow's update validator and
 * the API both call it, so a refused command never reaches the workflow's history.
 */
export function decide(state: RecommendationState, actor: Actor, command: Command, now: number): Verdict {
  const roles = COMMAND_ROLES[command.type];
  if (!roles.some((r) => hasRole(actor, r))) {
    return refuse('forbidden', `${DESCRIPTION[command.type]} can only be given by ${roles.join(' or ')}`);
  }
  if (!COMMAND_STAGES[command.type].includes(state.stage)) return refuse('stage', stageRefusal(state, command.type));

  switch (command.type) {
    case 'revise': {
      if (!TEXT_HASH.test(command.textHash) || !TEXT_HASH.test(command.baseTextHash))
        return refuse('invalid', 'a revision names its text by its sha256 hash');
      if (command.textHash === state.textHash)
        return refuse('invalid', `the text is the same as revision ${state.revision}`);
      if (command.baseTextHash !== state.textHash) {
        return refuse(
          'conflict',
          `revision ${state.revision} of ${state.reference} was made after the text this revision started from; read it and revise again`,
        );
      }
      return allow;
    }
    case 'call-consensus': {
      if (command.deadline !== undefined && command.silence !== undefined)
        return refuse('invalid', 'give a deadline or a silence period, not both');
      if (command.deadline !== undefined) {
        if (!isIsoInstant(command.deadline))
          return refuse('invalid', 'deadline must be an ISO 8601 instant with a zone');
        if (instantMs(command.deadline) <= now + 1000) return refuse('invalid', 'deadline must be in the future');
        if (instantMs(command.deadline) > now + MAX_DURATION_MS)
          return refuse('invalid', 'deadline must be at most five years away');
      }
      if (command.silence !== undefined && (!isIsoDuration(command.silence) || durationMs(command.silence) < 1000)) {
        return refuse('invalid', 'silence must be an ISO 8601 duration of at least one second');
      }
      if (command.silence !== undefined && durationMs(command.silence) > MAX_DURATION_MS)
        return refuse('invalid', 'silence must be at most five years');
      return allow;
    }
    case 'consensus-position':
    case 'approval-position': {
      const nation = actingNation(actor);
      if (!nation) return refuse('forbidden', 'a position is given for a nation, and the caller has none');
      if (command.type === 'consensus-position' && !(actor.workingGroups ?? []).includes(state.workingGroup)) {
        return refuse(
          'forbidden',
          `only members of working group ${state.workingGroup} take positions on ${state.reference}`,
        );
      }
      if (!state.nations.includes(nation))
        return refuse('forbidden', `${nation} is not a target nation of ${state.reference}`);
      if (command.type === 'approval-position' && command.position === 'abstain') {
        return refuse('invalid', 'a senior representative concurs or objects');
      }
      if (command.position === 'object' && command.comment.trim() === '')
        return refuse('invalid', 'an objection must give a reason in comment');
      const round = currentRound(state, command.type);
      const previous = round?.positions.find((p) => p.nation === nation);
      if (previous && previous.position === command.position && previous.comment === command.comment) return duplicate;
      return allow;
    }
    case 'submit':
      return allow;
    case 'respond':
    case 'report-progress': {
      if (!hasRole(actor, 'secretariat') && actor.nation !== command.nation) {
        return refuse(
          'forbidden',
          `a director answers only for their own nation (${actor.nation ?? 'none'}), not for ${command.nation}`,
        );
      }
      const track = state.tracks.find((t) => t.code === command.nation);
      if (!track) return refuse('invalid', `${command.nation} is not a target nation of ${state.reference}`);
      if (command.type === 'respond') {
        const last = track.response;
        if (last && last.decision === command.decision && last.comment === command.comment) return duplicate;
        if (isFinalNationState(track.state) || (last && FINAL_DECISIONS.includes(last.decision))) {
          return refuse(
            'conflict',
            `${command.nation} has already answered ${last?.decision ?? track.state}; a final answer cannot be changed`,
          );
        }
        if (
          command.plannedCompletion !== undefined &&
          !isIsoDate(command.plannedCompletion) &&
          !isIsoInstant(command.plannedCompletion)
        ) {
          return refuse(
            'invalid',
            'plannedCompletion must be a calendar date (2027-06-30) or an ISO 8601 instant with a zone',
          );
        }
        return allow;
      }
      const last = track.progress[track.progress.length - 1];
      if (
        last &&
        last.status === command.status &&
        last.comment === command.comment &&
        last.percent === reportedPercent(command)
      )
        return duplicate;
      if (track.state !== 'accepted' && track.state !== 'accepted-in-part') {
        return refuse(
          'conflict',
          `${command.nation} is ${track.state}; progress is reported only by a nation that accepted and has not finished`,
        );
      }
      if (
        command.status === 'in-progress' &&
        (command.percent === undefined ||
          !Number.isFinite(command.percent) ||
          command.percent < 0 ||
          command.percent > 100)
      ) {
        return refuse('invalid', 'an in-progress report gives percent from 0 to 100');
      }
      return allow;
    }
    case 'withdraw':
    case 'close':
      if (command.reason.trim() === '') return refuse('invalid', 'a reason is required');
      return allow;
    case 'move-deadline': {
      if (command.reason.trim() === '') return refuse('invalid', 'a reason is required');
      const track = state.tracks.find((t) => t.code === command.nation);
      if (!track) return refuse('invalid', `${command.nation} is not a target nation of ${state.reference}`);
      if (!track.chase || isFinalNationState(track.state)) {
        return refuse(
          'conflict',
          `${command.nation} is ${track.state}; nothing is due from it, so there is no deadline to move`,
        );
      }
      if (!isIsoInstant(command.dueAt)) return refuse('invalid', 'dueAt must be an ISO 8601 instant with a zone');
      const dueAt = instantMs(command.dueAt);
      if (dueAt <= now + 1000) return refuse('invalid', 'dueAt must be in the future');
      if (dueAt > now + MAX_DURATION_MS) return refuse('invalid', 'dueAt must be at most five years away');
      if (dueAt === instantMs(track.chase.dueAt)) return duplicate;
      return allow;
    }
    case 'resend-notification': {
      if (command.reason.trim() === '') return refuse('invalid', 'a reason is required');
      if (!resendRequest(state, command.identity, 1, now)) {
        return refuse('invalid', `${command.identity} is not the identity of a notification of ${state.reference}`);
      }
      return allow;
    }
  }
}

/** The percent a progress report records: as given while in progress, 100 once implemented. */
function reportedPercent(command: Extract<Command, { type: 'report-progress' }>): number | null {
  return command.status === 'in-progress' ? (command.percent ?? null) : command.status === 'implemented' ? 100 : null;
}

function event(
  type: DomainEvent['type'],
  state: RecommendationState,
  by: ActorRef,
  at: string,
  data: Record<string, unknown>,
): DomainEvent {
  return { type, at, actor: by, revision: state.revision, data };
}

/**
 * The events of a command `decide` allowed: what the audit trail records and `evolve` folds. Pure:
 * the clock is an argument. A command that settles the last nation also closes (a system event).
 */
export function execute(state: RecommendationState, actor: Actor, command: Command, now: number): DomainEvent[] {
  const at = toIso(now);
  const by = actorRef(actor, command);
  switch (command.type) {
    case 'revise': {
      const number = state.revision + 1;
      return [
        {
          type: 'revised',
          at,
          actor: by,
          revision: number,
          data: { number, note: command.note, title: command.title, textHash: command.textHash },
        },
      ];
    }
    case 'call-consensus': {
      // A deadline the secretariat names stands as given; one counted from a silence period is placed
      // on the working calendar when the policy keeps one.
      const placed =
        command.deadline !== undefined
          ? null
          : deadlineAfter(now, command.silence ?? state.policy.consensusSilence, state.policy, state.calendar);
      const deadline = placed ? toIso(placed.at) : toIso(instantMs(command.deadline as string));
      const rule = placed && state.calendar ? describePlacement(placed, state.calendar) : null;
      return [
        event('consensus-called', state, by, at, {
          round: (state.consensus?.number ?? 0) + 1,
          deadline,
          ...(rule ? { deadlineRule: rule } : {}),
        }),
      ];
    }
    case 'consensus-position':
    case 'approval-position': {
      const nation = actor.nation as NationCode;
      const isConsensus = command.type === 'consensus-position';
      const round = (isConsensus ? state.consensus : state.approval) as Round;
      const events = [
        event(command.type, state, by, at, {
          round: round.number,
          nation,
          position: command.position,
          comment: command.comment,
        }),
      ];
      if (command.position === 'object') {
        events.push(
          event(isConsensus ? 'consensus-broken' : 'approval-broken', state, by, at, {
            round: round.number,
            nation,
            reason: command.comment,
          }),
        );
      }
      return events;
    }
    case 'submit':
      return [submissionEvent(state, now, by, false)];
    case 'respond': {
      const answered = event('national-response', state, by, at, {
        nation: command.nation,
        decision: command.decision,
        comment: command.comment,
        // A date is kept as the date it is; an instant as before (normalised).
        plannedCompletion:
          command.plannedCompletion === undefined
            ? null
            : isIsoDate(command.plannedCompletion)
              ? command.plannedCompletion
              : toIso(instantMs(command.plannedCompletion)),
        at,
      });
      return [answered, ...settledClosure(evolve(state, answered), now)];
    }
    case 'report-progress': {
      const reported = event('progress-reported', state, by, at, {
        nation: command.nation,
        status: command.status,
        percent: reportedPercent(command),
        comment: command.comment,
        evidenceUrl: command.evidenceUrl ?? null,
        at,
      });
      return [reported, ...settledClosure(evolve(state, reported), now)];
    }
    case 'withdraw':
      return [event('withdrawn', state, by, at, { reason: command.reason, from: state.stage })];
    case 'close':
      return [closureEvent(state, now, command.reason, by)];
    case 'move-deadline': {
      const chase = state.tracks.find((t) => t.code === command.nation)?.chase ?? null;
      const moved = chase ? movedChase(chase, command.dueAt, state.policy, now, quietFor(state, command.nation)) : null;
      return [
        event('deadline-moved', state, by, at, {
          nation: command.nation,
          kind: moved?.kind ?? null,
          from: chase?.dueAt ?? null,
          dueAt: moved?.dueAt ?? toIso(instantMs(command.dueAt)),
          reason: command.reason,
        }),
      ];
    }
    case 'resend-notification': {
      const original = originalIdentity(command.identity);
      const request = resendRequest(state, command.identity, (state.resends?.[original] ?? 0) + 1, now);
      if (!request) return []; // decide refused it already
      return [
        event('notification-resent', state, by, at, {
          identity: request.identity,
          resendOf: original,
          kind: request.kind,
          recipient: request.recipient,
          reason: command.reason,
        }),
      ];
    }
  }
}

/**
 * Applies a command `decide` allowed: its events folded into the state, with the mail they owe. With
 * `commandId`, the events carry it, so the state remembers the command and a retry is answered once.
 */
export function apply(
  state: RecommendationState,
  actor: Actor,
  command: Command,
  now: number,
  commandId?: string,
): Step {
  const events = execute(state, actor, command, now);
  return run(state, commandId === undefined ? events : events.map((e) => ({ ...e, commandId })));
}

export { isTerminal };
