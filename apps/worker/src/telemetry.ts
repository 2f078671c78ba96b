import { Runtime } from '@temporalio/worker';
import type { AppConfig } from '@app/config';

/**
 * Installs the Temporal runtime once, before any connection: with WORKER_METRICS_PORT, the SDK's
 * Prometheus exporter serves its metrics and ours (WorkerMetrics) at http://<host>:<port>/metrics.
 */
export function installRuntime(config: AppConfig): void {
  if (config.WORKER_METRICS_PORT === undefined) return;
  Runtime.install({
    telemetryOptions: {
      metrics: {
        prometheus: {
          bindAddress: `${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}`,
          // Prometheus conventions: counters end in _total, durations in seconds with the unit in the name.
          countersTotalSuffix: true,
          unitSuffix: true,
          useSecondsForDurations: true,
        },
      },
    },
  });
}
