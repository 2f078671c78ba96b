import { FINAL_NATION_STATES, type ActorRef, type NationCode, type RecordedEvent, type StateView } from '@app/domain';

/** An event the projection cannot turn into rows: a bug in whoever wrote it, not a passing fault. */
export class ProjectionError extends Error {
  override name = 'ProjectionError';
}

export interface RevisionRow {
  reference: string;
  number: number;
  textHash: string;
  note: string;
  actor: ActorRef;
  createdAt: string;
}

export interface PositionRow {
  reference: string;
  eventSeq: number;
  kind: 'consensus' | 'approval';
  round: number;
  nation: string;
  position: string;
  comment: string;
  at: string;
  actor: ActorRef;
}

export interface ResponseRow {
  reference: string;
  eventSeq: number;
  nation: string;
  decision: string;
  comment: string;
  plannedCompletion: string | null;
  at: string;
  actor: ActorRef;
}

export interface ProgressRow {
  reference: string;
  eventSeq: number;
  nation: string;
  status: string;
  percent: number | null;
  comment: string;
  evidenceUrl: string | null;
  at: string;
  actor: ActorRef;
}

export interface DerivedRows {
  revisions: RevisionRow[];
  positions: PositionRow[];
  responses: ResponseRow[];
  progress: ProgressRow[];
}

function field(e: RecordedEvent, name: string): unknown {
  return e.data[name];
}

function text(e: RecordedEvent, name: string): string {
  const v = field(e, name);
  if (typeof v !== 'string')
    throw new ProjectionError(`event ${e.reference}#${e.seq} (${e.type}): data.${name} must be a string`);
  return v;
}

function int(e: RecordedEvent, name: string): number {
  const v = field(e, name);
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new ProjectionError(`event ${e.reference}#${e.seq} (${e.type}): data.${name} must be an integer`);
  return v;
}

function optionalText(e: RecordedEvent, name: string): string | null {
  const v = field(e, name);
  return typeof v === 'string' ? v : null;
}

/** The rows of revisions, positions, responses and progress reports that these events add. */
export function deriveRows(events: readonly RecordedEvent[]): DerivedRows {
  const rows: DerivedRows = { revisions: [], positions: [], responses: [], progress: [] };
  for (const e of events) {
    switch (e.type) {
      case 'raised':
        rows.revisions.push({
          reference: e.reference,
          number: 1,
          textHash: text(e, 'textHash'),
          note: 'Raised',
          actor: e.actor,
          createdAt: e.at,
        });
        break;
      case 'revised':
        rows.revisions.push({
          reference: e.reference,
          number: int(e, 'number'),
          textHash: text(e, 'textHash'),
          note: text(e, 'note'),
          actor: e.actor,
          createdAt: e.at,
        });
        break;
      case 'consensus-position':
      case 'approval-position':
        rows.positions.push({
          reference: e.reference,
          eventSeq: e.seq,
          kind: e.type === 'consensus-position' ? 'consensus' : 'approval',
          round: int(e, 'round'),
          nation: text(e, 'nation'),
          position: text(e, 'position'),
          comment: optionalText(e, 'comment') ?? '',
          at: e.at,
          actor: e.actor,
        });
        break;
      case 'national-response':
        rows.responses.push({
          reference: e.reference,
          eventSeq: e.seq,
          nation: text(e, 'nation'),
          decision: text(e, 'decision'),
          comment: optionalText(e, 'comment') ?? '',
          plannedCompletion: optionalText(e, 'plannedCompletion'),
          at: e.at,
          actor: e.actor,
        });
        break;
      case 'progress-reported': {
        const percent = field(e, 'percent');
        rows.progress.push({
          reference: e.reference,
          eventSeq: e.seq,
          nation: text(e, 'nation'),
          status: text(e, 'status'),
          percent: typeof percent === 'number' ? percent : null,
          comment: optionalText(e, 'comment') ?? '',
          evidenceUrl: optionalText(e, 'evidenceUrl'),
          at: e.at,
          actor: e.actor,
        });
        break;
      }
      case 'consensus-called':
      case 'consensus-held':
      case 'consensus-broken':
      case 'approval-opened':
      case 'approval-held':
      case 'approval-broken':
      case 'submitted':
      case 'response-deadline-passed':
      case 'nation-overdue':
      case 'deadline-moved':
      case 'closed':
      case 'withdrawn':
      case 'notification-due':
      case 'notification-sent':
      case 'notification-failed':
      case 'notification-dropped':
      case 'notification-resent':
        // Kept in the event log and the view only; no row of their own.
        break;
    }
  }
  return rows;
}

/** Nations from which a position, response or report is still expected (mirrors the domain's `pendingNations`). */
export function pendingNationsOf(view: StateView): NationCode[] {
  const silent = (positions: { nation: NationCode }[]): NationCode[] => {
    const spoken = new Set(positions.map((p) => p.nation));
    return view.targetNations.filter((n) => !spoken.has(n));
  };
  if (view.stage === 'wg-consensus' && view.consensus) return silent(view.consensus.positions);
  if (view.stage === 'senior-approval' && view.approval) return silent(view.approval.positions);
  if (view.stage !== 'submitted' && view.stage !== 'follow-up') return [];
  return view.nations.filter((n) => !FINAL_NATION_STATES.includes(n.state)).map((n) => n.code);
}
