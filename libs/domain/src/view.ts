import type { Language, NationCode, WorkingGroup } from './allies';
import { quietFor } from './calendar';
import type { Policy } from './policy';
import type {
  NationalResponse,
  NationState,
  Outcome,
  Position,
  ProgressReport,
  RecommendationState,
  RecommendationText,
  Round,
  Stage,
  Submission,
} from './recommendation';
import { isOverdue, nextDeadline } from './schedule';
import { chaseSlot } from './slots';
import { toIso } from './time';

export interface RoundView {
  round: number;
  revision: number;
  openedAt: string;
  deadline: string;
  /** The calendar rule that placed the deadline, when one moved it. */
  deadlineRule: string | null;
  positions: { nation: NationCode; position: Position['position']; comment: string; at: string }[];
  outcome: Round['outcome'];
}

export interface NationView {
  code: NationCode;
  state: NationState;
  response: Omit<NationalResponse, 'by'> | null;
  progress: Omit<ProgressReport, 'by'>[];
  nextDue: string | null;
  /** The calendar rule that placed `nextDue`, when one moved it. */
  nextDueRule: string | null;
  nextReminderAt: string | null;
  overdue: boolean;
}

/** The recommendation as the API shows it (`RecommendationDto` in docs/openapi.json). */
export interface RecommendationView {
  reference: string;
  workflowId: string;
  title: string;
  summary: string;
  body: string;
  /** sha256 of the current revision's text (title, summary, body). */
  textHash: string;
  workingGroup: WorkingGroup;
  language: Language;
  targetNations: NationCode[];
  rapporteur: string | null;
  /** A priority recommendation: its own default policy; first in lists, the digest and the Board report. */
  priority: boolean;
  stage: Stage;
  revision: number;
  policy: Policy;
  consensus: RoundView | null;
  approval: RoundView | null;
  submission: Submission | null;
  nations: NationView[];
  nextDeadline: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  withdrawal: { reason: string; at: string } | null;
  outcome: Outcome | null;
}

function roundView(round: Round | null): RoundView | null {
  if (!round) return null;
  return {
    round: round.number,
    revision: round.revision,
    openedAt: round.openedAt,
    deadline: round.deadline,
    deadlineRule: round.deadlineRule ?? null,
    positions: round.positions.map(({ nation, position, comment, at }) => ({ nation, position, comment, at })),
    outcome: round.outcome,
  };
}

/**
 * The view without the text (summary and body): what the workflow and the projection compute. The
 * text is joined in from PostgreSQL when a reader asks (`withText`), so it never rides in history.
 */
export type StateView = Omit<RecommendationView, 'summary' | 'body'>;

export function withText(view: StateView, text: Pick<RecommendationText, 'summary' | 'body'>): RecommendationView {
  return { ...view, summary: text.summary, body: text.body };
}

export function toView(state: RecommendationState, now: number): StateView {
  return {
    reference: state.reference,
    workflowId: state.reference,
    title: state.title,
    textHash: state.textHash,
    workingGroup: state.workingGroup,
    language: state.language,
    targetNations: state.nations,
    rapporteur: state.rapporteur,
    priority: state.priority === true,
    stage: state.stage,
    revision: state.revision,
    policy: state.policy,
    consensus: roundView(state.consensus),
    approval: roundView(state.approval),
    submission: state.submission,
    nations: state.tracks.map((t) => {
      const slot = t.chase ? chaseSlot(t.chase, state.policy, t.chase.next, quietFor(state, t.code)) : undefined;
      const { by: _by, ...response } = t.response ?? { by: null };
      return {
        code: t.code,
        state: t.state,
        response: t.response ? (response as Omit<NationalResponse, 'by'>) : null,
        progress: t.progress.map(({ by: _b, ...p }) => p),
        nextDue: t.chase?.dueAt ?? null,
        nextDueRule: t.chase?.dueRule ?? null,
        nextReminderAt: slot ? toIso(slot.at) : null,
        overdue: isOverdue(t, now),
      };
    }),
    nextDeadline: nextDeadline(state),
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    closedAt: state.closedAt,
    withdrawal: state.withdrawal ? { reason: state.withdrawal.reason, at: state.withdrawal.at } : null,
    outcome: state.outcome,
  };
}
