import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from './config.schema';

/** A personal link's token in a path, masked: `/links/DIPB-2026-0001/FRA/respond/[token]`. Tokens never reach a log or a trace. */
export function redactLinkToken(url: string): string {
  return url.replace(/(\/links\/[^/?#]*\/[^/?#]*\/[^/?#]*\/)[^/?#]+/g, '$1[token]');
}

/** Structured JSON logs (pretty in a terminal when LOG_PRETTY), with a request id on every HTTP line. */
export function loggerParams(config: AppConfig, name: string): Params {
  return {
    pinoHttp: {
      name,
      level: config.LOG_LEVEL,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        // With tracing on, the request id is the trace id: a log line leads to its trace and back.
        const span = trace.getActiveSpan()?.spanContext();
        const given = req.headers['x-request-id'];
        const id =
          span && isSpanContextValid(span)
            ? span.traceId
            : typeof given === 'string' && /^[\w.-]{1,128}$/.test(given)
              ? given
              : randomUUID();
        // Echoed to the caller, so a support request can quote it.
        if (!res.headersSent) res.setHeader('X-Request-Id', id);
        return id;
      },
      customProps: () => ({}),
      redact: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.params.token',
        'req.headers.referer',
        'res.headers["set-cookie"]',
      ],
      serializers: {
        req: (req: { url?: string }) => (typeof req.url === 'string' ? { ...req, url: redactLinkToken(req.url) } : req),
      },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') || req.url === '/metrics' },
      transport: config.LOG_PRETTY
        ? {
            target: 'pino-pretty',
            options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          }
        : undefined,
    },
  };
}
