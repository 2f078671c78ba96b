import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiResponse,
} from '@nestjs/swagger';
import { ApiProblems, type ProblemStatus } from '../problem/problem.dto';

/*
 * The decorators every operation is documented with: one per kind of operation, so that the same
 * kind says the same thing (headers, errors, security) everywhere.
 */

const ETAG = {
  ETag: {
    description:
      'Weak validator of this answer; send it back in If-None-Match to get 304 when nothing changed (a request with Cache-Control: no-cache always gets 200)',
    schema: { type: 'string', example: 'W/"2a1-Vh3uXkq1f0m0zZ8xvS7d1yQ4d3c"' },
  },
};

/** What every operation's documentation says: what it does, what it answers, and its problem statuses. */
interface Operation {
  summary: string;
  type: Type<unknown>;
  description: string;
  problems: ProblemStatus[];
}

/** A read: 200 with an ETag (Express computes it), 304 for a matching If-None-Match, and the problems given. */
export function ApiRead(options: Operation & { isArray?: boolean }): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiOperation({ summary: options.summary }),
    ApiOkResponse({
      type: options.type,
      isArray: options.isArray ?? false,
      description: options.description,
      headers: ETAG,
    }),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag from an earlier answer: 304 Not Modified if it still matches',
    }),
    ApiResponse({ status: 304, description: 'Not modified: the ETag in If-None-Match still matches (no body)' }),
    ApiProblems(401, ...options.problems, 429, 503),
  );
}

/** The header that makes a command safe to retry. */
export function ApiIdempotencyKey(): MethodDecorator {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes a retried command safe: the same key with the same body gives the same answer and is recorded once; the same key with another body is a 422',
    schema: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: '^[\\x21-\\x7e]+$',
      example: '5b1f6c1e-6a53-4f4e-9a53-1b0c3f3f6a01',
    },
  });
}

/** A command on a recommendation's workflow: it answers the recommendation as the workflow now has it. */
export function ApiCommand(
  options: Pick<Operation, 'summary' | 'type'> & Partial<Operation> & { status?: 200 | 201 },
): MethodDecorator {
  const ok = options.status === 201 ? ApiCreatedResponse : ApiOkResponse;
  return applyDecorators(
    ApiBearerAuth(),
    ApiOperation({ summary: options.summary }),
    ApiIdempotencyKey(),
    ok({
      type: options.type,
      description: options.description ?? 'The recommendation as it stands after the workflow accepted the command',
    }),
    ApiProblems(...(options.problems ?? [400, 401, 403, 404, 409, 413, 422, 429, 503])),
  );
}

/** A change outside a workflow (the directory, a repair of the read model): no Idempotency-Key, it is safe to repeat as it is. */
export function ApiWrite(options: Operation): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiOperation({ summary: options.summary }),
    ApiOkResponse({ type: options.type, description: options.description }),
    ApiProblems(...options.problems),
  );
}
