import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventType, FeedScope, NationCode, RecordedEvent, WorkingGroup } from '@app/domain';
import { encodeFeedPosition, FEED_START, type FeedPosition } from '../cursor';
import { toRecordedEvent, type EventRow } from './recommendations.repository';

/** Page sizes of the feed. */
export const FEED_LIMIT = { default: 100, max: 500 } as const;

export interface FeedFilter {
  scope: FeedScope;
  types?: readonly EventType[];
  reference?: string;
  /** A nation's part (`eventConcernsNation`), whoever asks. */
  nation?: NationCode;
  workingGroup?: WorkingGroup;
}

export interface FeedEvent extends RecordedEvent {
  /** Where this event is in the feed: resume after it with `after`. */
  position: string;
}

export interface FeedPage {
  items: FeedEvent[];
  /** Where to resume: after the last item, or (a page not full) at the horizon read up to. */
  position: string;
}

/** The SQL of `eventConcernsNation` for the nation in parameter `$n`. */
const concernsNation = (n: number) =>
  `(r.target_nations @> ARRAY[$${n}::text]
    AND coalesce(e.data ->> 'nation', $${n}) = $${n}
    AND (NOT (e.data ? 'recipient') OR e.data -> 'recipient' ->> 'nation' = $${n}))`;

/**
 * Every recommendation's events in one order that never changes once read: (writing transaction, id),
 * read only below the oldest transaction still running, so an event that commits late can never land
 * behind a reader's position (docs/design.md, "The change feed").
 */
@Injectable()
export class ChangeFeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  async read(after: FeedPosition | null, limit: number, filter: FeedFilter): Promise<FeedPage> {
    const from = after ?? FEED_START;
    if (filter.scope.kind === 'none') return { items: [], position: encodeFeedPosition(from) };
    // The horizon first: every transaction below it has ended (committed or rolled back), so what the
    // next statement sees below it is all there will ever be.
    const [{ horizon }] = await this.dataSource.query<[{ horizon: string }]>(
      'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon',
    );
    const params: unknown[] = [from.tx, from.id, horizon, limit];
    const where: string[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return params.length;
    };
    if (filter.types?.length) where.push(`e.type = ANY($${param(filter.types)}::text[])`);
    if (filter.reference) where.push(`e.reference = $${param(filter.reference)}`);
    if (filter.workingGroup) where.push(`r.working_group = $${param(filter.workingGroup)}`);
    if (filter.nation) where.push(concernsNation(param(filter.nation)));
    if (filter.scope.kind === 'nation') where.push(concernsNation(param(filter.scope.nation)));
    const rows = await this.dataSource.query<(EventRow & { tx: string; id: string })[]>(
      `SELECT e.reference, e.seq, e.type, e.at, e.actor, e.revision, e.data, e.tx::text AS tx, e.id::text AS id
         FROM events e
         LEFT JOIN recommendations r ON r.reference = e.reference
        WHERE (e.tx, e.id) > ($1::xid8, $2::bigint)
          AND e.tx < $3::xid8
          ${where.map((w) => `AND ${w}`).join('\n          ')}
        ORDER BY e.tx, e.id
        LIMIT $4`,
      params,
    );
    const items = rows.map((r) => ({ ...toRecordedEvent(r), position: encodeFeedPosition({ tx: r.tx, id: r.id }) }));
    const last = items.at(-1);
    // A full page resumes after its last item; a shorter one has read everything below the horizon.
    const position =
      items.length === limit && last
        ? last.position
        : encodeFeedPosition(BigInt(horizon) > BigInt(from.tx) ? { tx: horizon, id: '0' } : from);
    return { items, position };
  }
}
