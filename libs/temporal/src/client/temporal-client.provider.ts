import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { temporalConnectionOptions } from './connection-options';

/**
 * Connects lazily, so the API starts (and answers /health/live, and 503 on /health/ready) even when
 * Temporal is not reachable yet; the connection is retried on each use.
 */
@Injectable()
export class TemporalClientProvider implements OnApplicationShutdown {
  private connection: Connection | null = null;
  private client: Promise<Client> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get(): Promise<Client> {
    this.client ??= Connection.connect({ ...temporalConnectionOptions(this.config), connectTimeout: '3 seconds' })
      .then((connection) => {
        this.connection = connection;
        // Carries the active trace (the HTTP request's span) into workflow starts, updates and queries; only when
        // traces are exported (OTEL_EXPORTER_OTLP_ENDPOINT), since otherwise there is no trace to carry.
        return new Client({
          connection,
          namespace: this.config.TEMPORAL_NAMESPACE,
          interceptors: this.config.OTEL_EXPORTER_OTLP_ENDPOINT
            ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] }
            : {},
        });
      })
      .catch((err: unknown) => {
        this.client = null;
        throw err;
      });
    return this.client;
  }

  get taskQueue(): string {
    return this.config.TEMPORAL_TASK_QUEUE;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection?.close();
  }
}
