import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Outcome of a command as operators count it: accepted, or why not. */
export type CommandOutcome = 'accepted' | 'refused' | 'forbidden' | 'invalid' | 'not-found' | 'unavailable' | 'error';

/** The API's Prometheus registry: HTTP traffic by route pattern, commands by kind and outcome, process metrics. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'dipb_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpErrors = new Counter({
    name: 'dipb_http_request_errors_total',
    help: 'HTTP requests answered with a 5xx (server fault) or 4xx (caller fault), by route pattern and class',
    labelNames: ['method', 'route', 'class'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'dipb_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'dipb_commands_total',
    help: 'Commands sent to recommendation workflows, by kind (raise, respond, …) and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'dipb_api_' });
  }

  /** Maps the HTTP status a command ended in to its outcome label. */
  static outcomeOf(status: number): CommandOutcome {
    if (status < 400) return 'accepted';
    if (status === 403 || status === 401) return 'forbidden';
    if (status === 404) return 'not-found';
    if (status === 409) return 'refused';
    if (status === 400 || status === 422) return 'invalid';
    if (status === 503) return 'unavailable';
    return 'error';
  }
}
