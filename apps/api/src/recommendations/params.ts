import { createParamDecorator, Injectable, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';
import { isNationCode, NATION_CODES, type NationCode } from '@app/domain';
import { ProblemException } from '../problem/problem';

const REFERENCE = /^DIPB-\d{4}-\d{4,6}$/;

/** The path parameters as the document states them: what the pipes below let through. */
export const ApiReferenceParam = (): MethodDecorator =>
  ApiParam({
    name: 'ref',
    description: "The recommendation's reference",
    schema: { type: 'string', pattern: REFERENCE.source, example: 'DIPB-2026-0001' },
  });
export const ApiNationParam = (): MethodDecorator =>
  ApiParam({
    name: 'nation',
    description: "An Ally's ISO 3166-1 alpha-3 code",
    enum: [...NATION_CODES],
    enumName: 'NationCode',
    example: 'FRA',
  });
export const ApiRevisionParam = (): MethodDecorator =>
  ApiParam({
    name: 'n',
    description: 'A revision number, from 1',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 999999, example: 1 },
  });

/** A reference that cannot exist is a 404, not a query to the database or Temporal. */
@Injectable()
export class ReferenceParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!REFERENCE.test(value))
      throw new ProblemException(404, `no recommendation ${value.slice(0, 60)} (references look like DIPB-2026-0001)`);
    return value;
  }
}

@Injectable()
export class NationParamPipe implements PipeTransform<string, NationCode> {
  transform(value: string): NationCode {
    if (!isNationCode(value))
      throw new ProblemException(404, `no Ally ${value.slice(0, 10)} (nations are ISO 3166-1 alpha-3 codes, e.g. FRA)`);
    return value;
  }
}

/** A revision number: 1 to 999999; anything else (0, negative, beyond a PostgreSQL integer, not a number) cannot exist, so 404. */
@Injectable()
export class RevisionParamPipe implements PipeTransform<string | number, number> {
  // The global ValidationPipe may already have turned the segment into a number (the parameter is typed number).
  transform(value: string | number): number {
    const text = String(value);
    if (!/^[1-9]\d{0,5}$/.test(text))
      throw new ProblemException(404, `no revision ${text.slice(0, 20)} (revisions are numbered from 1)`);
    return Number(text);
  }
}

/** The Idempotency-Key header, checked: 1 to 200 visible ASCII characters. */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest<Request>().headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(value)) {
    throw new ProblemException(400, 'invalid Idempotency-Key', {
      errors: [{ field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' }],
    });
  }
  return value;
});
