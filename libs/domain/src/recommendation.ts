import type { ActorRef } from './actor';
import type { Language, NationCode, WorkingGroup } from './allies';
import type { WorkingCalendar } from './calendar';
import type { Policy } from './policy';
import { countTracks, rates } from './rates';

export const STAGES = [
  'drafting',
  'wg-consensus',
  'senior-approval',
  'approved',
  'submitted',
  'follow-up',
  'closed',
  'withdrawn',
] as const;
export type Stage = (typeof STAGES)[number];

export const POSITIONS = ['concur', 'abstain', 'object'] as const;
export type PositionKind = (typeof POSITIONS)[number];
export const APPROVAL_POSITIONS = ['concur', 'object'] as const satisfies readonly PositionKind[];

export const DECISIONS = ['accepted', 'accepted-in-part', 'not-accepted', 'under-consideration'] as const;
export type Decision = (typeof DECISIONS)[number];
export const FINAL_DECISIONS: readonly Decision[] = ['accepted', 'accepted-in-part', 'not-accepted'];

export const PROGRESS_STATUSES = ['in-progress', 'implemented', 'not-implemented'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export const NATION_STATES = [
  'awaiting-response',
  'under-consideration',
  'accepted',
  'accepted-in-part',
  'not-accepted',
  'implemented',
  'not-implemented',
] as const;
export type NationState = (typeof NATION_STATES)[number];

/** A nation is final when nothing more is expected of it. */
export const FINAL_NATION_STATES: readonly NationState[] = ['not-accepted', 'implemented', 'not-implemented'];

export interface RevisionMeta {
  number: number;
  note: string;
  at: string;
  by: ActorRef;
}

export interface Position {
  nation: NationCode;
  position: PositionKind;
  comment: string;
  at: string;
  by: ActorRef;
}

/** One silence procedure: a WG consensus call or a senior-approval round. */
export interface Round {
  /** Counts the rounds of this kind, from 1, across the recommendation's life. */
  number: number;
  revision: number;
  openedAt: string;
  deadline: string;
  /** The calendar rule that placed the deadline ("moved from Sat 26 Dec 11:00 to Mon 28 Dec 17:30 (weekend)"). */
  deadlineRule?: string | null;
  positions: Position[];
  outcome: 'held' | 'broken' | null;
  /** Index of the next reminder slot not yet sent. */
  nextReminder: number;
}

export interface NationalResponse {
  decision: Decision;
  comment: string;
  plannedCompletion: string | null;
  at: string;
  by: ActorRef;
}

export interface ProgressReport {
  status: ProgressStatus;
  percent: number | null;
  comment: string;
  evidenceUrl: string | null;
  at: string;
  by: ActorRef;
}

/** What the process is chasing a nation for: a response, or the next progress report. */
export interface Chase {
  kind: 'response' | 'progress';
  dueAt: string;
  /** The calendar rule that placed the due date, when one moved it. */
  dueRule?: string | null;
  /** Index of the next slot of the chase's schedule not yet sent (earlier ones were sent or superseded). */
  next: number;
}

export interface NationTrack {
  code: NationCode;
  state: NationState;
  response: NationalResponse | null;
  progress: ProgressReport[];
  chase: Chase | null;
  escalated: boolean;
}

export interface Submission {
  revision: number;
  submittedAt: string;
  responseDue: string;
  /** The calendar rule that placed the response deadline, when one moved it. */
  responseDueRule?: string | null;
}

export interface Outcome {
  reason: string;
  results: { nation: NationCode; state: NationState }[];
  /** Accepting (in full or in part) / final answers (0..1); null when no nation answered finally (rates.ts). */
  acceptanceRate: number | null;
  /** Implemented / accepting nations (0..1); null when none accepted (rates.ts). */
  implementationRate: number | null;
}

/** A revision's text. Stored once in PostgreSQL (`texts`), addressed by its hash; never in Temporal history. */
export interface RecommendationText {
  title: string;
  summary: string;
  body: string;
}

/** How many command ids the state remembers, so a command retried after continue-as-new is answered once. */
export const RECENT_COMMANDS = 64;

/**
 * The live state a workflow carries; JSON-serialisable so continue-as-new can pass it on whole.
 * The text itself stays out (claim check): the state holds its hash and the title, which operators
 * see in the Temporal UI.
 */
export interface RecommendationState {
  reference: string;
  title: string;
  /** sha256 of the current revision's text (see `texts`). */
  textHash: string;
  workingGroup: WorkingGroup;
  language: Language;
  nations: NationCode[];
  rapporteur: string | null;
  policy: Policy;
  /** A priority recommendation: first in lists, the digest and the Board report (absent: not priority). */
  priority?: boolean;
  /** NATO HQ's working calendar as pinned at the raise (absent in states from before it existed). */
  calendar?: WorkingCalendar | null;
  stage: Stage;
  revision: number;
  revisions: RevisionMeta[];
  consensus: Round | null;
  approval: Round | null;
  submission: Submission | null;
  tracks: NationTrack[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  withdrawal: { reason: string; at: string; by: ActorRef } | null;
  outcome: Outcome | null;
  /** Resends an operator asked for, by original identity (absent in states carried from before repairs existed). */
  resends?: Record<string, number>;
  /** Ids of the latest commands applied (at most RECENT_COMMANDS), oldest first. */
  recentCommands: string[];
}

/** What a recommendation is raised with: the text by reference (stored before the raise), never the text. */
export interface RaiseInput {
  title: string;
  textHash: string;
  workingGroup: WorkingGroup;
  language: Language;
  nations: NationCode[];
  policy: Policy;
  rapporteur: string | null;
  /** The working calendar the policy's deadlines are placed on (null or absent: none). */
  calendar?: WorkingCalendar | null;
  /** Raised as a priority recommendation (absent: not). */
  priority?: boolean;
}

export function newRecommendation(
  reference: string,
  input: RaiseInput,
  by: ActorRef,
  now: string,
): RecommendationState {
  return {
    reference,
    title: input.title,
    textHash: input.textHash,
    workingGroup: input.workingGroup,
    language: input.language,
    nations: [...input.nations],
    rapporteur: input.rapporteur,
    policy: input.policy,
    ...(input.calendar ? { calendar: input.calendar } : {}),
    ...(input.priority === true ? { priority: true } : {}),
    stage: 'drafting',
    revision: 1,
    revisions: [{ number: 1, note: 'Raised', at: now, by }],
    consensus: null,
    approval: null,
    submission: null,
    tracks: [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    withdrawal: null,
    outcome: null,
    recentCommands: [],
  };
}

export function isTerminal(stage: Stage): boolean {
  return stage === 'closed' || stage === 'withdrawn';
}

export function isFinalNationState(state: NationState): boolean {
  return FINAL_NATION_STATES.includes(state);
}

/** Nations from which a response or report is still expected, in target order. */
export function pendingNations(state: RecommendationState): NationCode[] {
  if (state.stage === 'wg-consensus' && state.consensus) return silentNations(state, state.consensus);
  if (state.stage === 'senior-approval' && state.approval) return silentNations(state, state.approval);
  if (state.stage !== 'submitted' && state.stage !== 'follow-up') return [];
  return state.tracks.filter((t) => !isFinalNationState(t.state)).map((t) => t.code);
}

/** Target nations that have not yet given a position in a round. */
export function silentNations(state: RecommendationState, round: Round): NationCode[] {
  const spoken = new Set(round.positions.map((p) => p.nation));
  return state.nations.filter((n) => !spoken.has(n));
}

export function computeOutcome(tracks: NationTrack[], reason: string): Outcome {
  return {
    reason,
    results: tracks.map((t) => ({ nation: t.code, state: t.state })),
    ...rates(countTracks(tracks)),
  };
}
