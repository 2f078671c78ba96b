import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Times every request and counts it under its route pattern (`/api/v1/recommendations/:ref`), never the
 * raw URL, so a scan of random paths cannot explode the number of series: unmatched paths are one label.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routeOf(req);
      if (route === '/metrics') return;
      const status = String(res.statusCode);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const labels = { method: req.method, route, status };
      this.metrics.httpRequests.inc(labels);
      this.metrics.httpDuration.observe(labels, seconds);
      if (res.statusCode >= 400)
        this.metrics.httpErrors.inc({ method: req.method, route, class: res.statusCode >= 500 ? '5xx' : '4xx' });
    });
    next();
  }
}

/** The route pattern a request matched (`/api/v1/recommendations/:ref`), or `unmatched`. */
export function routeOf(req: Request): string {
  const route = (req as unknown as { route?: { path?: unknown } }).route;
  const path = route?.path;
  // A catch-all (`/{*path}`, from middleware mounting) is not a route of the API.
  if (typeof path === 'string' && !path.includes('{*')) return `${req.baseUrl}${path}`;
  return 'unmatched';
}
