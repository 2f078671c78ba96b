import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_BASE, problemFor, type Problem, type ProblemField } from './problem';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export class ProblemFieldDto implements ProblemField {
  @ApiProperty({ type: String, description: 'The field, query parameter or header at fault', example: 'comment' })
  field!: string;

  @ApiProperty({ type: String, example: 'comment must be a string' })
  message!: string;
}

/** RFC 9457 problem details: every error the API answers has this shape. */
export class ProblemDto implements Problem {
  @ApiProperty({
    type: String,
    format: 'uri',
    description: 'Stable URI of the kind of problem; switch on it',
    example: `${PROBLEM_BASE}conflict`,
  })
  type!: string;

  @ApiProperty({
    type: String,
    description: 'Short summary of the kind of problem',
    example: 'Not allowed in the current state',
  })
  title!: string;

  @ApiProperty({ type: Number, format: 'int32', description: 'The HTTP status code', example: 409 })
  status!: number;

  @ApiProperty({
    type: String,
    description: 'What went wrong with this request, for a person',
    example: 'recommendation DIPB-2026-0007 is in senior-approval; a WG position can only be given in wg-consensus',
  })
  detail!: string;

  @ApiPropertyOptional({
    type: String,
    description: 'The request path',
    example: '/api/v1/recommendations/DIPB-2026-0007/consensus/positions',
  })
  instance?: string;

  @ApiPropertyOptional({ type: () => ProblemFieldDto, isArray: true, description: 'Every invalid field (400)' })
  errors?: ProblemFieldDto[];
}

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 1, example: 5 },
  },
};

/** When each status is answered, and a realistic example of it. */
const PROBLEMS: Record<ProblemStatus, { description: string; example: Problem; retryAfter?: true }> = {
  400: {
    description: 'Malformed or invalid request: every bad field is named in `errors`',
    example: problemFor(
      400,
      'invalid comment',
      { errors: [{ field: 'comment', message: 'comment must be a string' }] },
      '/api/v1/recommendations/DIPB-2026-0001/consensus/positions',
    ),
  },
  401: {
    description: 'No bearer token, or one that is invalid or expired',
    example: problemFor(401, 'send Authorization: Bearer <JWT>', {}, '/api/v1/recommendations'),
  },
  403: {
    description: 'The caller’s role, nation or working group may not do this',
    example: problemFor(
      403,
      'this route is for secretariat; the caller is director',
      {},
      '/api/v1/recommendations/DIPB-2026-0001/submission',
    ),
  },
  404: {
    description: 'Unknown recommendation, revision, nation or notification',
    example: problemFor(404, 'no recommendation DIPB-2026-0042', {}, '/api/v1/recommendations/DIPB-2026-0042'),
  },
  409: {
    description: 'Not allowed in the current stage: the detail names the stage and what is allowed now',
    example: problemFor(
      409,
      'recommendation DIPB-2026-0007 is in senior-approval; a WG position can only be given in wg-consensus',
      {},
      '/api/v1/recommendations/DIPB-2026-0007/consensus/positions',
    ),
  },
  413: {
    description: 'The body is larger than the service accepts (512 kB)',
    example: problemFor(413, 'the body is larger than the service accepts', {}, '/api/v1/recommendations'),
  },
  415: {
    description: 'The body is not of the media type the operation takes (e.g. text/csv)',
    example: problemFor(415, 'send the directory as Content-Type: text/csv', {}, '/api/v1/nations/directory/import'),
  },
  422: {
    description: 'The Idempotency-Key was already used with a different request',
    example: problemFor(
      422,
      'Idempotency-Key 7d7c0c3e was used for a different recommendation',
      {},
      '/api/v1/recommendations',
    ),
  },
  429: {
    description: 'Too many requests from this caller: retry after `Retry-After` seconds',
    example: problemFor(
      429,
      'rate limit exceeded; retry after the time given in Retry-After',
      {},
      '/api/v1/recommendations',
    ),
    retryAfter: true,
  },
  503: {
    description:
      'PostgreSQL or Temporal is unreachable: retry after `Retry-After` seconds (the same Idempotency-Key is safe)',
    example: problemFor(
      503,
      'Temporal is unreachable; retry later',
      { retryAfterSeconds: 5 },
      '/api/v1/recommendations',
    ),
    retryAfter: true,
  },
};

/** Documents the problem+json answers an operation can give, each with its schema, example and headers. */
export function ApiProblems(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => {
      const { description, example, retryAfter } = PROBLEMS[status];
      return ApiResponse({
        status,
        description,
        ...(retryAfter ? { headers: RETRY_AFTER } : {}),
        content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) }, example } },
      });
    }),
  );
}
