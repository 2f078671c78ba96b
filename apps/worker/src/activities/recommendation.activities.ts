import { Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { ProjectionService } from '@app/persistence';
import { NotificationsService } from '@app/notifications';
import type { DeliveryContext, DeliveryResult, LifecycleActivities, ProjectInput } from '@app/temporal';
import type { NotificationRequest } from '@app/domain';
import { WorkerMetrics } from '../worker-metrics';

/** The lifecycle's activities: the only code that touches PostgreSQL and SMTP for the workflow. */
@Injectable()
export class RecommendationActivities implements LifecycleActivities {
  constructor(
    private readonly projection: ProjectionService,
    private readonly notifications: NotificationsService,
    private readonly metrics: WorkerMetrics,
  ) {}

  async project(input: ProjectInput): Promise<void> {
    await this.projection.apply(input);
    // A metrics hiccup must never fail (and so repeat) a projection that has been committed.
    await this.metrics.refreshOverdue().catch(() => undefined);
  }

  /**
   * Sends a batch (one notification kind, many recipients) concurrently; the notifications service
   * bounds how many messages the worker has in flight. Each message's outbox row makes it
   * idempotent, so a retry after a failure sends only what had not gone yet.
   */
  async deliver(input: { requests: NotificationRequest[]; context: DeliveryContext }): Promise<DeliveryResult[]> {
    // Heartbeats let Temporal notice a crashed worker within the heartbeat timeout instead of the whole
    // start-to-close. They say the worker is alive, not that a message went: a batch queued behind
    // others in a burst may send nothing for longer than the timeout, and must not be retried for that.
    const context = Context.current();
    let done = 0;
    const every = Math.max(500, Math.floor((context.info.heartbeatTimeoutMs ?? 30_000) / 3));
    const alive = setInterval(() => context.heartbeat(done), every);
    let settled: PromiseSettledResult<DeliveryResult>[];
    try {
      settled = await Promise.allSettled(
        input.requests.map(async (request) => {
          const result = await this.notifications.deliver(request, input.context);
          this.metrics.delivered(request.kind, result);
          context.heartbeat(++done);
          return result;
        }),
      );
    } finally {
      clearInterval(alive);
    }
    // Every message has had its attempt; the first failure (in request order) fails the attempt, to be retried.
    const results: DeliveryResult[] = [];
    for (const outcome of settled) {
      if (outcome.status === 'rejected') throw outcome.reason;
      results.push(outcome.value);
    }
    return results;
  }

  /** Bound methods, as the worker's activities object. */
  asActivities(): LifecycleActivities {
    return { project: this.project.bind(this), deliver: this.deliver.bind(this) };
  }
}
