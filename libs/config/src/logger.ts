import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from './config.schema';

/** Structured JSON logs (pretty in a terminal when LOG_PRETTY), with a request id on every HTTP line. */
export function loggerParams(config: AppConfig, name: string): Params {
  return {
    pinoHttp: {
      name,
      level: config.LOG_LEVEL,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
      },
      customProps: () => ({}),
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') || req.url === '/metrics' },
      transport: config.LOG_PRETTY
        ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } }
        : undefined,
    },
  };
}
