import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry/lib/worker';
import type { ReplayWorkerOptions } from '@temporalio/worker';
import { startTracing } from '../../temporal/src/tracing';
import { TEST_WORKFLOW_BUNDLE } from './paths';

/**
 * Options for replaying or running the test bundle: the bundle carries the OpenTelemetry workflow
 * interceptors, whose spans leave through the `exporter` sink; without it every activation logs an error.
 */
export function bundleWorkerOptions(): Pick<ReplayWorkerOptions, 'workflowBundle' | 'sinks'> {
  const tracing = startTracing('dipb-tests', undefined);
  return {
    workflowBundle: { codePath: TEST_WORKFLOW_BUNDLE },
    sinks: { exporter: makeWorkflowExporter(tracing.processor, tracing.resource) },
  };
}
