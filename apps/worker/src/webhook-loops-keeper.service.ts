import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { WebhooksRepository } from '@app/persistence';
import { ensureWebhookLoop, temporalConnectionOptions } from '@app/temporal/client';

/** How often every active subscription's loop is checked. */
const EVERY_MS = 60_000;

/**
 * Every active webhook subscription has its delivery loop running: checked when the worker starts and
 * each minute after (a start with an id conflict keeps the running loop, so this never disturbs one).
 * PostgreSQL says which subscriptions are active; a subscription made while Temporal was unreachable
 * gets its loop here.
 */
@Injectable()
export class WebhookLoopsKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookLoopsKeeper.name);
  private connection: Connection | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hooks: WebhooksRepository,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running = this.keep().then(
        () => undefined,
        () => undefined,
      );
      void this.running.finally(() => {
        if (this.timer !== null) this.timer = setTimeout(tick, EVERY_MS).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  /** Starts the loops of active subscriptions that have none; returns how many were checked. */
  private async keep(): Promise<number> {
    try {
      this.connection ??= await Connection.connect(temporalConnectionOptions(this.config));
      const client = new Client({ connection: this.connection, namespace: this.config.TEMPORAL_NAMESPACE });
      const active = (await this.hooks.list()).filter((h) => h.active);
      for (const hook of active) await ensureWebhookLoop(client, this.config.TEMPORAL_TASK_QUEUE, hook.id, false);
      return active.length;
    } catch (err) {
      this.logger.warn({ err }, 'could not check the webhook loops; trying again in a minute');
      return 0;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running.catch(() => undefined);
    await this.connection?.close();
  }
}
