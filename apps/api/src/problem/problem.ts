import { HttpException, HttpStatus } from '@nestjs/common';

export interface ProblemField {
  field: string;
  message: string;
}

/** An RFC 9457 problem: `type` is a stable URI other systems can switch on. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: ProblemField[];
}

export const PROBLEM_BASE = 'https://dipb.example/problems/';

const TITLES: Record<number, [string, string]> = {
  400: ['invalid-request', 'The request is invalid'],
  401: ['unauthenticated', 'Authentication required'],
  403: ['forbidden', 'Not allowed for this caller'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  409: ['conflict', 'Not allowed in the current state'],
  413: ['payload-too-large', 'The request body is too large'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['idempotency-key-reused', 'Idempotency-Key reused with a different request'],
  429: ['rate-limited', 'Too many requests'],
  503: ['unavailable', 'A service this request needs is unavailable'],
};

/** Thrown by services and mapped by the filter; carries everything the problem document says. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    detail: string,
    readonly extra: { type?: string; title?: string; errors?: ProblemField[]; retryAfterSeconds?: number } = {},
  ) {
    super(detail, status);
  }
}

export function problemFor(
  status: number,
  detail: string,
  extra: ProblemException['extra'] = {},
  instance?: string,
): Problem {
  const [slug, title] =
    TITLES[status] ?? (status >= 500 ? ['internal', 'Internal error'] : ['error', HttpStatus[status] ?? 'Error']);
  return {
    type: extra.type ?? `${PROBLEM_BASE}${slug}`,
    title: extra.title ?? title,
    status,
    detail,
    ...(instance ? { instance } : {}),
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
}
