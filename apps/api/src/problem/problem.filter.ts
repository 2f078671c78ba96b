import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { problemFor, ProblemException, type ProblemField } from './problem';
import { isDatabaseUnavailable } from './unavailable';

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

/** Every error leaves as application/problem+json; nothing internal (stack, SQL, gRPC) reaches the caller. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const instance = req.originalUrl;

    let status = 500;
    let detail = 'An unexpected error occurred; it has been logged.';
    let extra: ProblemException['extra'] = {};

    if (isDatabaseUnavailable(exception)) {
      status = 503;
      detail = 'PostgreSQL is unreachable; retry later';
      extra = { retryAfterSeconds: 5 };
    } else if (exception instanceof ProblemException) {
      status = exception.getStatus();
      detail = exception.message;
      extra = exception.extra;
    } else if (exception instanceof ThrottlerException) {
      status = 429;
      detail = 'rate limit exceeded; retry after the time given in Retry-After';
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'string') detail = body;
      else if (body && typeof body === 'object') {
        const m = (body as { message?: unknown }).message;
        detail = Array.isArray(m) ? m.join('; ') : typeof m === 'string' ? m : exception.message;
        const errors = (body as { errors?: ProblemField[] }).errors;
        if (errors) extra = { errors };
      }
      if (status === 404 && detail.startsWith('Cannot ')) detail = `no route ${req.method} ${req.path}`;
    } else if (isBodyParserError(exception)) {
      status = exception.status ?? exception.statusCode ?? 400;
      detail =
        exception.type === 'entity.parse.failed'
          ? 'the body is not valid JSON'
          : exception.type === 'entity.too.large'
            ? 'the body is larger than the service accepts'
            : exception.type === 'encoding.unsupported' || exception.type === 'charset.unsupported'
              ? 'the body must be UTF-8 JSON'
              : 'the body could not be read';
    }

    if (status >= 500 && status !== 503) this.logger.error({ err: exception, instance }, 'unhandled error');
    if (extra.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(extra.retryAfterSeconds));
    res
      .status(status)
      .type('application/problem+json')
      .send(JSON.stringify(problemFor(status, detail, extra, instance)));
  }
}

/** An http-errors error from the body parser (bad JSON, too large, bad charset or encoding, a corrupt gzip stream): the caller's fault, a 4xx. */
function isBodyParserError(e: unknown): e is BodyParserError & Error {
  if (!(e instanceof Error)) return false;
  const { type, expose, status, statusCode } = e as BodyParserError;
  const code = status ?? statusCode;
  return (typeof type === 'string' || expose === true) && typeof code === 'number' && code >= 400 && code < 500;
}
