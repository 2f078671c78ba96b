import { Injectable } from '@nestjs/common';
import { EVENT_TYPES, feedScope, type Actor, type EventType } from '@app/domain';
import {
  ChangeFeedRepository,
  decodeFeedPosition,
  FEED_LIMIT,
  type FeedFilter,
  type FeedPage,
  type FeedPosition,
} from '@app/persistence';
import { ProblemException } from '../problem/problem';
import type { ChangeFeedQuery } from './dto/change-feed.dto';

const isEventType = (t: string): t is EventType => (EVENT_TYPES as readonly string[]).includes(t);

/** A feed query checked: where to read from, how many, and what the caller may see of it. */
export interface FeedRequest {
  after: FeedPosition | null;
  limit: number;
  filter: FeedFilter;
}

/** The change feed: every recommendation's events after a position, scoped to the caller. */
@Injectable()
export class ChangeFeedService {
  constructor(private readonly feed: ChangeFeedRepository) {}

  /** The query checked (a 400 naming what is wrong), with `after` as given. */
  parse(query: ChangeFeedQuery, actor: Actor, after = query.after): FeedRequest {
    const limit =
      query.limit === undefined ? FEED_LIMIT.default : /^\d{1,4}$/.test(query.limit) ? Number(query.limit) : NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > FEED_LIMIT.max)
      throw new ProblemException(400, 'invalid limit', {
        errors: [{ field: 'limit', message: `must be a whole number from 1 to ${FEED_LIMIT.max}` }],
      });
    const types = query.type?.split(',').map((t) => t.trim());
    const unknown = types?.filter((t) => !isEventType(t)) ?? [];
    if (unknown.length)
      throw new ProblemException(400, 'invalid type', {
        errors: [
          {
            field: 'type',
            message: `unknown event type ${unknown
              .slice(0, 3)
              .map((t) => JSON.stringify(t.slice(0, 40)))
              .join(', ')}; the types are ${EVENT_TYPES.join(', ')}`,
          },
        ],
      });
    return {
      after: after === undefined ? null : decodeFeedPosition(after),
      limit,
      filter: {
        scope: feedScope(actor),
        ...(types ? { types: types.filter(isEventType) } : {}),
        ...(query.reference ? { reference: query.reference } : {}),
        ...(query.nation ? { nation: query.nation } : {}),
        ...(query.workingGroup ? { workingGroup: query.workingGroup } : {}),
      },
    };
  }

  read(query: ChangeFeedQuery, actor: Actor): Promise<FeedPage> {
    const { after, limit, filter } = this.parse(query, actor);
    return this.feed.read(after, limit, filter);
  }

  /** One page of a checked request, from `after`. */
  page(request: FeedRequest, after: FeedPosition | null, limit: number): Promise<FeedPage> {
    return this.feed.read(after, limit, request.filter);
  }
}
