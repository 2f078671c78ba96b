import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { NativeConnection, Worker, type ActivityInterceptorsFactory, type WorkerOptions } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, workflowBundleOptions } from '@app/temporal/bundle';
import { temporalConnectionOptions } from '@app/temporal/client';
import { startTracing, type Tracing } from '@app/temporal/tracing';
import { DigestActivities } from './activities/digest.activities';
import { RecommendationActivities } from './activities/recommendation.activities';
import { WebhookActivities } from './activities/webhook.activities';
import { DigestScheduleService } from './digest-schedule.service';
import { deliveryTaskQueue, prepareTaskQueue, webhookTaskQueue } from '../../../workflows/task-queues';

/** The repository root, found from this file whether it runs from sources or from dist/. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nest-cli.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nest-cli.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Workflow code: a prebuilt bundle when configured, else `workflows/` bundled at start with the path aliases. */
export function workflowSource(
  config: AppConfig,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> & { workflowModules: string[] } {
  // A prebuilt bundle already holds the workflow interceptors (workflowBundleOptions puts them in).
  if (config.WORKFLOW_BUNDLE_PATH)
    return { workflowBundle: { codePath: resolve(config.WORKFLOW_BUNDLE_PATH) }, workflowModules: [] };
  const { workflowsPath, webpackConfigHook } = workflowBundleOptions(repoRoot());
  return { workflowsPath, bundlerOptions: { webpackConfigHook }, workflowModules: WORKFLOW_INTERCEPTOR_MODULES };
}

/** Runs the Temporal worker for the lifecycle; stops it gracefully with the application. */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private worker: Worker | null = null;
  /** Mail's own worker, on the delivery task queue: activities only, with activity slots of its own. */
  private delivery: Worker | null = null;
  /** Preparing's own worker, on the prepare task queue: a few slots, apart from the sends'. */
  private preparing: Worker | null = null;
  /** Webhook delivery rounds' own worker: one long round per active subscription, in slots of their own. */
  private webhooks: Worker | null = null;
  private connection: NativeConnection | null = null;
  private running: Promise<void> | null = null;
  private tracing: Tracing | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly activities: RecommendationActivities,
    private readonly digest: DigestActivities,
    private readonly digestSchedule: DigestScheduleService,
    private readonly webhookActivities: WebhookActivities,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The weekly digest's schedule, before polling: Temporal starts the digest, the worker only runs it.
    await this.digestSchedule.ensure();
    this.connection = await NativeConnection.connect(temporalConnectionOptions(this.config));
    // Traces by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; the interceptors run either way (no-op spans).
    const tracing = (this.tracing = startTracing(
      this.config.OTEL_SERVICE_NAME ?? 'dipb-worker',
      this.config.OTEL_EXPORTER_OTLP_ENDPOINT,
    ));
    const { workflowModules, ...source } = workflowSource(this.config);
    // What the workers share: the connection, the namespace, how they stop, the activities' spans.
    const shared = {
      connection: this.connection,
      namespace: this.config.TEMPORAL_NAMESPACE,
      shutdownGraceTime: this.config.WORKER_SHUTDOWN_GRACE as WorkerOptions['shutdownGraceTime'],
      // A backstop: an activity that ignores cancellation must not keep a stopping worker alive forever.
      shutdownForceTime: '30 seconds',
    } satisfies Partial<WorkerOptions>;
    const activity: ActivityInterceptorsFactory[] = [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ];
    this.worker = await Worker.create({
      ...shared,
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      activities: { ...this.activities.asActivities(), ...this.digest.asActivities() },
      // Bounded so memory does not grow with the number of open recommendations (the SDK's default grows with the heap).
      maxCachedWorkflows: this.config.WORKER_MAX_CACHED_WORKFLOWS,
      // Only the tasks it can finish well inside their timeout; the rest wait at the server (config.schema.ts).
      maxConcurrentWorkflowTaskExecutions: this.config.WORKER_WORKFLOW_TASK_SLOTS,
      ...source,
      interceptors: {
        workflowModules,
        activity,
      },
      // The workflow's spans leave the sandbox through this sink, to the same processor as the activities'.
      sinks: { exporter: makeWorkflowExporter(tracing.processor, tracing.resource) },
    });
    // The lifecycle's notify and prepare activities (workflows/task-queues.ts): the same activities,
    // another queue, so mail in bulk never takes the slots a command's persist needs.
    this.delivery = await Worker.create({
      ...shared,
      taskQueue: deliveryTaskQueue(this.config.TEMPORAL_TASK_QUEUE),
      // The sends, and the secretariat's notice of a webhook subscription given up on.
      activities: { ...this.activities.asActivities(), ...this.webhookActivities.asActivities() },
      maxConcurrentActivityTaskExecutions: this.config.WORKER_DELIVERY_CONCURRENCY,
      interceptors: { activity },
    });
    // The next timer's messages composed ahead (workflows/task-queues.ts): a few at a time, in slots of
    // their own, so a burst's sends never wait behind preparations that are themselves waiting for them.
    this.preparing = await Worker.create({
      ...shared,
      taskQueue: prepareTaskQueue(this.config.TEMPORAL_TASK_QUEUE),
      activities: this.activities.asActivities(),
      maxConcurrentActivityTaskExecutions: this.config.WORKER_PREPARE_CONCURRENCY,
      interceptors: { activity },
    });
    // Webhook deliveries (docs/design.md, "Webhooks"): a round holds its slot while it waits for commits,
    // so they never take the slots of mail or of a command's persist.
    this.webhooks = await Worker.create({
      ...shared,
      taskQueue: webhookTaskQueue(this.config.TEMPORAL_TASK_QUEUE),
      activities: this.webhookActivities.asActivities(),
      maxConcurrentActivityTaskExecutions: this.config.WORKER_WEBHOOK_CONCURRENCY,
      interceptors: { activity },
    });
    const workers = [this.worker, this.delivery, this.preparing, this.webhooks];
    // All run until all have stopped; one stopping with an error stops the others.
    this.running = Promise.all(
      workers.map((w) =>
        w.run().catch((err: unknown) => {
          for (const other of workers) if (other !== w && other.getState() === 'RUNNING') other.shutdown();
          throw err;
        }),
      ),
    ).then(() => undefined);
    // A worker that stops on its own (fatal error) takes the process down so a supervisor restarts it.
    this.running.catch((err: unknown) => {
      this.logger.error({ err }, 'worker stopped with an error');
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
    this.logger.log(
      `worker polling ${this.config.TEMPORAL_TASK_QUEUE}, ${deliveryTaskQueue(this.config.TEMPORAL_TASK_QUEUE)}, ${prepareTaskQueue(this.config.TEMPORAL_TASK_QUEUE)} and ${webhookTaskQueue(this.config.TEMPORAL_TASK_QUEUE)} on ${this.config.TEMPORAL_ADDRESS}/${this.config.TEMPORAL_NAMESPACE}`,
    );
  }

  /** Before the database and SMTP pools close: in-flight activities finish (or are handed back after the grace time). */
  async beforeApplicationShutdown(): Promise<void> {
    for (const w of [this.worker, this.delivery, this.preparing, this.webhooks])
      if (w && w.getState() === 'RUNNING') w.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    await this.tracing?.shutdown();
  }
}
