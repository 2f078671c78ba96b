import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { Actor } from '@app/domain';
import { decodeFeedPosition, RecommendationChanges } from '@app/persistence';
import { Gauge, Counter } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { ProblemException } from '../problem/problem';
import { ChangeFeedService } from './change-feed.service';
import type { ChangeFeedQuery } from './dto/change-feed.dto';

/** Events read per round trip to PostgreSQL while a stream catches up. */
const PAGE = 200;
/** A stream looks again this often even when no commit was heard (a commit the listener missed). */
const FALLBACK_MS = 2000;

/**
 * The change feed live, as Server-Sent Events: each event with its position as the SSE id, read from
 * the same feed as `GET /api/v1/events` (same order, filters and scope), woken by the commits the
 * projection announces (LISTEN/NOTIFY). Each stream reads at its own reader's pace: it holds at most
 * FEED_STREAM_BUFFER_BYTES (and an event) that its reader has not taken, reads no further until the reader
 * takes it, and is dropped when the reader takes nothing for FEED_STREAM_STALL_MS; the reader resumes from
 * its `Last-Event-ID`. Nothing else waits on a stream.
 */
@Injectable()
export class ChangeFeedStreams implements OnModuleDestroy {
  private readonly logger = new Logger(ChangeFeedStreams.name);
  private readonly open = new Set<Response>();
  private readonly opened: Gauge;
  private readonly dropped: Counter;

  constructor(
    private readonly feed: ChangeFeedService,
    private readonly changes: RecommendationChanges,
    metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.opened = new Gauge({
      name: 'dipb_feed_streams_open',
      help: 'Live change-feed streams open on this replica',
      registers: [metrics.registry],
    });
    this.dropped = new Counter({
      name: 'dipb_feed_streams_dropped_total',
      help: 'Live change-feed streams dropped because their reader took nothing for FEED_STREAM_STALL_MS',
      registers: [metrics.registry],
    });
  }

  /** Serves one stream until the reader leaves, is dropped, or the API stops. */
  async serve(query: ChangeFeedQuery, actor: Actor, lastEventId: string | undefined, req: Request, res: Response) {
    if (this.open.size >= this.config.FEED_MAX_STREAMS)
      throw new ProblemException(503, 'too many live streams on this replica; retry later', { retryAfterSeconds: 5 });
    // Checked before the stream starts, so a bad position or filter is a 400, not a stream that ends.
    const request = this.feed.parse(query, actor, lastEventId ?? query.after);
    let position = request.after;

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    res.write(`retry: ${FALLBACK_MS}\n\n`);
    this.open.add(res);
    this.opened.set(this.open.size);

    let wake: (() => void) | null = null;
    let dirty = true;
    const poke = () => {
      dirty = true;
      wake?.();
    };
    const stopWatching = this.changes.watchAll(poke);
    let closed = false;
    const close = () => {
      closed = true;
      wake?.();
    };
    req.on('close', close);
    res.on('close', close);
    res.on('error', close);
    /** Writes unless the stream has ended (the reader left, or the API is stopping). */
    const send = (text: string) => {
      if (!closed && !res.writableEnded) res.write(text);
    };
    const drop = () => {
      this.dropped.inc();
      this.logger.warn(
        `change-feed stream of ${actor.id} dropped: its reader took nothing for ${this.config.FEED_STREAM_STALL_MS} ms (it resumes from its last id)`,
      );
      res.destroy();
      close();
    };
    let lastWrite = Date.now();
    try {
      while (!closed) {
        if (dirty) {
          dirty = false;
          const page = await this.feed.page(request, position, PAGE);
          let written = 0;
          for (const e of page.items) {
            send(`id: ${e.position}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
            written++;
            position = decodeFeedPosition(e.position);
            // What waits for the reader stays under the bound: the rest of the page is read again later.
            if (res.writableLength > this.config.FEED_STREAM_BUFFER_BYTES) break;
          }
          if (written) lastWrite = Date.now();
          if (written === page.items.length && page.items.length < PAGE) position = decodeFeedPosition(page.position);
          else dirty = true;
          if (res.writableNeedDrain && !(await this.drained(res))) {
            if (!closed) drop();
            break;
          }
          if (dirty) continue;
        }
        // Asleep until a commit is heard, the fallback look, or the heartbeat is owed.
        const heartbeatIn = this.config.FEED_HEARTBEAT_MS - (Date.now() - lastWrite);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, Math.min(FALLBACK_MS, heartbeatIn)));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        if (Date.now() - lastWrite >= this.config.FEED_HEARTBEAT_MS) {
          send(': heartbeat\n\n');
          lastWrite = Date.now();
        }
        dirty = true;
      }
    } catch (err) {
      // PostgreSQL gone mid-stream: the reader reconnects (retry) and resumes from its last id.
      this.logger.warn(`change-feed stream of ${actor.id} ended: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      stopWatching();
      this.open.delete(res);
      this.opened.set(this.open.size);
      if (!res.destroyed) res.end();
    }
  }

  /** Whether the reader took what was written within FEED_STREAM_STALL_MS. */
  private drained(res: Response): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (drained: boolean) => {
        clearTimeout(timer);
        res.off('drain', onDrain);
        res.off('close', onClose);
        resolve(drained);
      };
      const onDrain = () => done(true);
      const onClose = () => done(false);
      const timer = setTimeout(() => done(false), this.config.FEED_STREAM_STALL_MS);
      res.on('drain', onDrain);
      res.on('close', onClose);
    });
  }

  onModuleDestroy(): void {
    for (const res of this.open) res.end();
  }
}
