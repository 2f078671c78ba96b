import type {
  ActorRef,
  EventType,
  Language,
  NationCode,
  NotificationKind,
  Recipient,
  RecommendationState,
  RecommendationView,
  RecordedEvent,
  StateView,
  Stage,
  WorkingGroup,
} from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { withText } from '@app/domain';
import { decodeCursor, encodeCursor } from '../cursor';
import type { NotificationStatus } from './outbox.repository';

export const LIST_LIMIT = { default: 20, max: 100 } as const;

/**
 * A list's `total` is counted exactly up to this many matches; past it the list says so
 * (`totalIsExact: false`, `total` = the cap) instead of counting every matching row on every page.
 */
export const LIST_TOTAL_CAP = 1000;

export interface ListQuery {
  stage?: Stage;
  workingGroup?: WorkingGroup;
  /** A target nation. */
  nation?: NationCode;
  /** A nation from which a position, response or report is still expected. */
  pendingNation?: NationCode;
  overdue?: boolean;
  /** Priority recommendations only (true), or the others only (false). */
  priority?: boolean;
  /** Full text over title, summary and body, English and French, accents ignored. */
  q?: string;
  limit?: number;
  cursor?: string;
}

/** One line of the list: everything but the body and the per-nation detail. */
export interface RecommendationSummary {
  reference: string;
  workflowId: string;
  title: string;
  summary: string;
  workingGroup: WorkingGroup;
  language: Language;
  stage: Stage;
  revision: number;
  targetNations: NationCode[];
  pendingNations: NationCode[];
  overdue: boolean;
  /** A priority recommendation: the list shows these first. */
  priority: boolean;
  nextDeadline: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface ListPage {
  items: RecommendationSummary[];
  /** How many match the filters, across all pages; at most LIST_TOTAL_CAP (see `totalIsExact`). */
  total: number;
  /** False when more than LIST_TOTAL_CAP match: then `total` is the cap, a lower bound. */
  totalIsExact: boolean;
  nextCursor: string | null;
}

export interface RevisionText {
  number: number;
  /** sha256 of the text, as stored in `texts`. */
  textHash: string;
  title: string;
  summary: string;
  body: string;
  note: string;
  at: string;
  by: ActorRef;
}

export interface NotificationRecord {
  identity: string;
  kind: NotificationKind;
  recipient: Recipient;
  address: string | null;
  language: Language | null;
  status: NotificationStatus;
  messageId: string | null;
  attempts: number;
  lastError: string | null;
  dueAt: string;
  sentAt: string | null;
  createdAt: string;
}

interface SummaryRow {
  reference: string;
  workflow_id: string;
  title: string;
  summary: string;
  working_group: WorkingGroup;
  language: Language;
  stage: Stage;
  revision: number;
  target_nations: NationCode[];
  pending_nations: NationCode[];
  overdue: boolean;
  priority: boolean;
  next_deadline: Date | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  cursor_at: string;
}

/** A statement and its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The list's two statements: the page (one row past `limit`, to know whether another follows) and
 * the count. Exported so the benchmark runs the very SQL the API runs, without the API around it.
 */
export function listStatements(
  query: ListQuery,
  totalCap: number = LIST_TOTAL_CAP,
): { limit: number; page: Statement; count: Statement } {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? LIST_LIMIT.default), 1), LIST_LIMIT.max);
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (query.stage !== undefined) where.push(`r.stage = ${param(query.stage)}`);
  if (query.workingGroup !== undefined) where.push(`r.working_group = ${param(query.workingGroup)}`);
  if (query.nation !== undefined) where.push(`r.target_nations @> ARRAY[${param(query.nation)}]::text[]`);
  if (query.pendingNation !== undefined)
    where.push(`r.pending_nations @> ARRAY[${param(query.pendingNation)}]::text[]`);
  if (query.overdue !== undefined) where.push(query.overdue ? 'r.overdue' : 'NOT r.overdue');
  if (query.priority !== undefined) where.push(query.priority ? 'r.priority' : 'NOT r.priority');
  const q = query.q?.trim();
  // The search document is computed once per text (`texts.search`), not on every update of the row.
  if (q) where.push(`r.text_hash IN (SELECT hash FROM texts WHERE search @@ dipb_search_query(${param(q)}))`);

  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const countParams = [...params];
  const page: string[] = [...where];
  if (query.cursor !== undefined && query.cursor !== '') {
    const c = decodeCursor(query.cursor);
    // Priority first (true before false), then newest first: every key descends, so one row comparison.
    page.push(
      `(r.priority, r.created_at, r.reference) < (${param(c.priority)}::boolean, ${param(c.createdAt)}::timestamptz, ${param(c.reference)})`,
    );
  }
  const pageFilter = page.length > 0 ? `WHERE ${page.join(' AND ')}` : '';
  return {
    limit,
    page: {
      sql: `SELECT r.reference, r.workflow_id, r.title, t.summary, r.working_group, r.language, r.stage, r.revision, r.target_nations,
                   r.pending_nations, r.overdue, r.priority, r.next_deadline, r.created_at, r.updated_at, r.closed_at,
                   to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
              FROM (SELECT * FROM recommendations r ${pageFilter}
                     ORDER BY r.priority DESC, r.created_at DESC, r.reference DESC LIMIT ${limit + 1}) r
              JOIN texts t ON t.hash = r.text_hash
             ORDER BY r.priority DESC, r.created_at DESC, r.reference DESC`,
      params,
    },
    // Counted up to the cap only: at most totalCap + 1 index entries, whatever the table's size.
    count: {
      sql: `SELECT count(*)::int AS total FROM (SELECT 1 FROM recommendations r ${filter} LIMIT ${totalCap + 1}) capped`,
      params: countParams,
    },
  };
}

/** The get's statement: the view as last projected, with its current text. */
export const GET_SQL = `SELECT r.view, r.text_hash, t.summary, t.body FROM recommendations r JOIN texts t ON t.hash = r.text_hash WHERE r.reference = $1`;

const iso = (d: Date): string => d.toISOString();
const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Reads of the record, served from PostgreSQL (never from workflow queries). Unknown reference → null. */
@Injectable()
export class RecommendationsRepository {
  /** LIST_TOTAL_CAP; a test may lower it. */
  totalCap: number = LIST_TOTAL_CAP;

  constructor(private readonly dataSource: DataSource) {}

  async list(query: ListQuery): Promise<ListPage> {
    const { limit, page, count: total } = listStatements(query, this.totalCap);
    const [rows, count] = await Promise.all([
      this.dataSource.query<SummaryRow[]>(page.sql, page.params),
      this.dataSource.query<{ total: number }[]>(total.sql, total.params),
    ]);
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const counted = count[0]?.total ?? 0;
    return {
      items: items.map(toSummary),
      total: Math.min(counted, this.totalCap),
      totalIsExact: counted <= this.totalCap,
      nextCursor:
        more && last
          ? encodeCursor({ priority: last.priority, createdAt: last.cursor_at, reference: last.reference })
          : null,
    };
  }

  /** The recommendation as the workflow last projected it, with its current text. */
  async get(reference: string): Promise<RecommendationView | null> {
    const rows = await this.dataSource.query<{ view: StateView; summary: string; body: string; text_hash: string }[]>(
      GET_SQL,
      [reference],
    );
    const row = rows[0];
    return row ? withText({ ...row.view, textHash: row.text_hash }, row) : null;
  }

  /** The state the projection folded. */
  async state(reference: string): Promise<{ state: RecommendationState | null; version: number } | null> {
    const rows = await this.dataSource.query<{ state: RecommendationState | null; version: number }[]>(
      'SELECT state, version FROM recommendations WHERE reference = $1',
      [reference],
    );
    return rows[0] ?? null;
  }

  /** Nations past a response or progress-report due date, over all recommendations (the worker's gauge). */
  async overdueNations(): Promise<number> {
    const rows = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM recommendations r, jsonb_array_elements(r.view->'nations') AS n
        WHERE r.overdue AND (n->>'overdue')::boolean`,
    );
    return rows[0]?.n ?? 0;
  }

  async exists(reference: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>('SELECT 1 FROM recommendations WHERE reference = $1', [
      reference,
    ]);
    return rows.length > 0;
  }

  async revisions(reference: string): Promise<RevisionText[] | null> {
    const rows = await this.dataSource.query<RevisionRow[]>(
      `SELECT r.number, r.text_hash, t.title, t.summary, t.body, r.note, r.actor, r.created_at
         FROM revisions r JOIN texts t ON t.hash = r.text_hash WHERE r.reference = $1 ORDER BY r.number`,
      [reference],
    );
    if (rows.length === 0 && !(await this.exists(reference))) return null;
    return rows.map(toRevision);
  }

  async revision(reference: string, number: number): Promise<RevisionText | null> {
    const rows = await this.dataSource.query<RevisionRow[]>(
      `SELECT r.number, r.text_hash, t.title, t.summary, t.body, r.note, r.actor, r.created_at
         FROM revisions r JOIN texts t ON t.hash = r.text_hash WHERE r.reference = $1 AND r.number = $2`,
      [reference, number],
    );
    return rows[0] ? toRevision(rows[0]) : null;
  }

  /** The audit trail, oldest first. */
  async events(reference: string): Promise<RecordedEvent[] | null> {
    const rows = await this.dataSource.query<EventRow[]>(
      'SELECT reference, seq, type, at, actor, revision, data FROM events WHERE reference = $1 ORDER BY seq',
      [reference],
    );
    if (rows.length === 0 && !(await this.exists(reference))) return null;
    return rows.map(toRecordedEvent);
  }

  /** How often a nation's deadline was moved up to `by` (an ISO instant): the calendar entry's SEQUENCE. */
  async deadlineMoves(reference: string, nation: string, by: string): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM events WHERE reference = $1 AND type = 'deadline-moved' AND data ->> 'nation' = $2 AND at <= $3`,
      [reference, nation, by],
    );
    return row?.n ?? 0;
  }

  async notifications(reference: string): Promise<NotificationRecord[] | null> {
    const rows = await this.dataSource.query<NotificationRow[]>(
      `SELECT identity, kind, recipient, address, language, status, message_id, attempts, last_error, due_at, sent_at, created_at
         FROM notifications WHERE reference = $1 ORDER BY due_at, identity`,
      [reference],
    );
    if (rows.length === 0 && !(await this.exists(reference))) return null;
    return rows.map((r) => ({
      identity: r.identity,
      kind: r.kind,
      recipient: r.recipient,
      address: r.address,
      language: r.language,
      status: r.status,
      messageId: r.message_id,
      attempts: r.attempts,
      lastError: r.last_error,
      dueAt: iso(r.due_at),
      sentAt: isoOrNull(r.sent_at),
      createdAt: iso(r.created_at),
    }));
  }
}

interface RevisionRow {
  number: number;
  text_hash: string;
  title: string;
  summary: string;
  body: string;
  note: string;
  actor: ActorRef;
  created_at: Date;
}

export interface EventRow {
  reference: string;
  seq: number;
  type: EventType;
  at: Date;
  actor: ActorRef;
  revision: number;
  data: Record<string, unknown>;
}

interface NotificationRow {
  identity: string;
  kind: NotificationKind;
  recipient: Recipient;
  address: string | null;
  language: Language | null;
  status: NotificationStatus;
  message_id: string | null;
  attempts: number;
  last_error: string | null;
  due_at: Date;
  sent_at: Date | null;
  created_at: Date;
}

function toSummary(r: SummaryRow): RecommendationSummary {
  return {
    reference: r.reference,
    workflowId: r.workflow_id,
    title: r.title,
    summary: r.summary,
    workingGroup: r.working_group,
    language: r.language,
    stage: r.stage,
    revision: r.revision,
    targetNations: r.target_nations,
    pendingNations: r.pending_nations,
    overdue: r.overdue,
    priority: r.priority,
    nextDeadline: isoOrNull(r.next_deadline),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    closedAt: isoOrNull(r.closed_at),
  };
}

function toRevision(r: RevisionRow): RevisionText {
  return {
    number: r.number,
    textHash: r.text_hash,
    title: r.title,
    summary: r.summary,
    body: r.body,
    note: r.note,
    at: iso(r.created_at),
    by: r.actor,
  };
}

export function toRecordedEvent(r: EventRow): RecordedEvent {
  return {
    reference: r.reference,
    seq: r.seq,
    type: r.type,
    at: iso(r.at),
    actor: r.actor,
    revision: r.revision,
    data: r.data,
  };
}
