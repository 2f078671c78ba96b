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

  async deliver(input: { requests: NotificationRequest[]; context: DeliveryContext }): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = [];
    // Heartbeats let Temporal notice a crashed worker within the heartbeat timeout instead of the whole start-to-close.
    const context = Context.current();
    // In order and one at a time: the outbox makes each send idempotent, so a retry resumes where it failed.
    for (const request of input.requests) {
      const result = await this.notifications.deliver(request, input.context);
      this.metrics.delivered(request.kind, result);
      results.push(result);
      context.heartbeat(results.length);
    }
    return results;
  }

  /** Bound methods, as the worker's activities object. */
  asActivities(): LifecycleActivities {
    return { project: this.project.bind(this), deliver: this.deliver.bind(this) };
  }
}
