import { redactLinkToken } from '@app/config';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { routeOf } from '../metrics/http-metrics.middleware';

/**
 * One server span per HTTP request, active while the request is handled, so that the Temporal
 * client's interceptor carries it into the workflow and the logger takes its trace id as the
 * request id. Continues a caller's trace (W3C `traceparent`). A no-op when tracing is off.
 */
export function httpTracing(): RequestHandler {
  const tracer = trace.getTracer('dipb-api');
  return (req: Request, res: Response, next: NextFunction): void => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      `${req.method}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.path': redactLinkToken(req.path) },
      },
      parent,
    );
    res.once('finish', () => {
      const route = routeOf(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
