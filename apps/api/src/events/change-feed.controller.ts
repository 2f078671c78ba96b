import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiProblems } from '../problem/problem.dto';
import { ChangeFeedStreams } from './change-feed-streams';
import type { Actor } from '@app/domain';
import { CurrentActor } from '../auth/auth.decorators';
import { ApiRead } from '../openapi/operations';
import { ChangeFeedService } from './change-feed.service';
import { ChangeFeedPageDto, ChangeFeedQuery } from './dto/change-feed.dto';

/**
 * Every recommendation's events in one order, for other systems to stay in sync without polling each
 * recommendation: read a page, keep its `position`, ask again with `after`. No event is ever skipped or
 * given twice (docs/design.md, "The change feed").
 */
@ApiTags('events')
@Controller('api/v1/events')
export class ChangeFeedController {
  constructor(
    private readonly feed: ChangeFeedService,
    private readonly streams: ChangeFeedStreams,
  ) {}

  @Get()
  @ApiRead({
    summary: 'The change feed: every event after a position, in commit order',
    type: ChangeFeedPageDto,
    description:
      "A page of events and the position to resume from. The secretariat and observers see every event; a caller who speaks for a nation sees its part (the events of recommendations it is a target of, other nations' own left out)",
    problems: [400],
  })
  read(@Query() query: ChangeFeedQuery, @CurrentActor() actor: Actor): Promise<ChangeFeedPageDto> {
    return this.feed.read(query, actor);
  }

  @Get('stream')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'The change feed live, as Server-Sent Events',
    description:
      "The same events, order, filters and scope as `GET /api/v1/events`, pushed as they are committed. Each SSE message has the event's `position` as its `id`, its type as `event`, and the event (as in the feed) as `data`; a comment line (`: heartbeat`) comes after FEED_HEARTBEAT_MS without one. Reconnect with `Last-Event-ID` (browsers do) to resume after the last event received. A reader that falls too far behind or takes nothing for a while is dropped, and resumes the same way.",
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The `id` of the last event received: the stream resumes after it (it takes precedence over `after`)',
  })
  @ApiOkResponse({
    description: 'A stream of `id:`, `event:` and `data:` lines; `data` is a `FeedEvent` as JSON',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblems(400, 401, 429, 503)
  async stream(
    @Query() query: ChangeFeedQuery,
    @CurrentActor() actor: Actor,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.streams.serve(query, actor, lastEventId, req, res);
  }
}
