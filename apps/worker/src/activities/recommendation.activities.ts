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
   * Sends a batch (one notification kind, many recipients) one message at a time, in order. Not
   * concurrently, on purpose: SMTP leaves a window between the server's 250 and the outbox COMMIT
   * in which a killed worker's message is sent again on retry (same Message-ID); one message in
   * flight per batch keeps that to one message per crash. The notifications service bounds the
   * messages in flight across batches (`SMTP_POOL_SIZE`). Each message's outbox row makes it
   * idempotent, so a retry after a failure resumes where it stopped.
   */
  async deliver(input: { requests: NotificationRequest[]; context: DeliveryContext }): Promise<DeliveryResult[]> {
    // Heartbeats let Temporal notice a crashed worker within the heartbeat timeout instead of the whole
    // start-to-close. They say the worker is alive, not that a message went: a batch queued behind
    // others in a burst may send nothing for longer than the timeout, and must not be retried for that.
    const context = Context.current();
    const results: DeliveryResult[] = [];
    const every = Math.max(500, Math.floor((context.info.heartbeatTimeoutMs ?? 30_000) / 3));
    const alive = setInterval(() => context.heartbeat(results.length), every);
    try {
      for (const request of input.requests) {
        const result = await this.notifications.deliver(request, input.context);
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
    return { project: this.project.bind(this), deliver: this.deliver.bind(this) };
  }
}
