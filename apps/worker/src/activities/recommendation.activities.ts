import { Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { ProjectionRepository } from '@app/persistence';
import { NotificationsService } from '@app/notifications';
import type {
  DeliveryContext,
  DeliveryResult,
  LifecycleActivities,
  NotifyInput,
  PersistInput,
  PrepareInput,
} from '@app/temporal';
import type { NotificationRequest } from '@app/domain';
import { WorkerMetrics } from '../worker-metrics';

/** The lifecycle's activities: the only code that touches PostgreSQL and SMTP for the workflow. */
@Injectable()
export class RecommendationActivities implements LifecycleActivities {
  constructor(
    private readonly projection: ProjectionRepository,
    private readonly notifications: NotificationsService,
    private readonly metrics: WorkerMetrics,
  ) {}

  async persist(input: PersistInput): Promise<{ version: number }> {
    const { version } = await this.projection.persist(input);
    this.metrics.refreshOverdue();
    return { version };
  }

  /**
   * Sends a batch one message at a time, in order, each checked against the recommendation's
   * current state just before it goes. Not concurrently, on purpose: SMTP leaves a window between
   * the server's 250 and the outbox COMMIT in which a killed worker's message is sent again on retry
   * (same Message-ID); one message in flight per batch keeps that to one message per crash. The
   * notifications service bounds the messages in flight across batches (`SMTP_POOL_SIZE`). Each
   * message's outbox row makes it idempotent, so a retry after a failure resumes where it stopped.
   */
  async notify(input: NotifyInput): Promise<DeliveryResult[]> {
    return this.sendAll(input.requests, this.contexts(input.reference));
  }

  /** Composes the messages planned ahead (their outbox rows ready to send) and drops those no longer planned. */
  async prepare(input: PrepareInput): Promise<{ prepared: number; released: number }> {
    const released = await this.notifications.release(input.release);
    const prepared = await this.notifications.prepare(input.requests, this.contexts(input.reference));
    return { prepared, released };
  }

  /** Each revision's context read once for a batch. */
  private contexts(reference: string): (request: NotificationRequest) => Promise<DeliveryContext> {
    const contexts = new Map<number, Promise<DeliveryContext>>();
    return (request) => {
      let context = contexts.get(request.revision);
      if (!context) contexts.set(request.revision, (context = this.notifications.context(reference, request.revision)));
      return context;
    };
  }

  private async sendAll(
    requests: NotificationRequest[],
    contextOf: (r: NotificationRequest) => Promise<DeliveryContext>,
  ): Promise<DeliveryResult[]> {
    // Heartbeats let Temporal notice a crashed worker within the heartbeat timeout instead of the whole
    // start-to-close. They say the worker is alive, not that a message went: a batch queued behind
    // others in a burst may send nothing for longer than the timeout, and must not be retried for that.
    const context = Context.current();
    const results: DeliveryResult[] = [];
    const every = Math.max(500, Math.floor((context.info.heartbeatTimeoutMs ?? 30_000) / 3));
    const alive = setInterval(() => context.heartbeat(results.length), every);
    try {
      for (const request of requests) {
        const result = await this.notifications.deliver(request, await contextOf(request));
        this.metrics.delivered(request.kind, result);
        results.push(result);
        context.heartbeat(results.length);
      }
    } finally {
      clearInterval(alive);
    }
    return results;
  }

  /** Bound methods, as the worker's activities object. */
  asActivities(): LifecycleActivities {
    return {
      persist: this.persist.bind(this),
      notify: this.notify.bind(this),
      prepare: this.prepare.bind(this),
    };
  }
}
