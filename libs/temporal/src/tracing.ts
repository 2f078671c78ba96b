import { isSpanContextValid, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry tracing for the API and the worker (not for workflow code: the workflow's spans go
 * through the interceptors' sink to the worker's processor). Exported by OTLP/HTTP when an endpoint
 * is configured; otherwise no provider is registered and every span is a no-op.
 */
export interface Tracing {
  enabled: boolean;
  processor: SpanProcessor;
  resource: Resource;
  shutdown(): Promise<void>;
}

let installed: Tracing | null = null;

export function startTracing(serviceName: string, endpoint: string | undefined): Tracing {
  if (installed) return installed;
  const resource = new Resource({ 'service.name': serviceName });
  if (!endpoint)
    return { enabled: false, processor: new NoopSpanProcessor(), resource, shutdown: () => Promise.resolve() };
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  installed = { enabled: true, processor, resource, shutdown: () => provider.shutdown() };
  return installed;
}

/** The active trace id, when a real (sampled or not) span is active; the logs use it as the request id. */
export function activeTraceId(): string | undefined {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) ? ctx.traceId : undefined;
}
