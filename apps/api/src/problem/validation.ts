import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ProblemException, type ProblemField } from './problem';

/** Deeper than any DTO goes (policy is two levels); beyond it a body is refused before anything recurses over it. */
export const MAX_INPUT_DEPTH = 16;

// NUL cannot be stored in PostgreSQL text and an unpaired surrogate is not text at all: either would
// pass the DTO, be accepted by the workflow and then fail (or be silently altered) on the way to the database.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const NOT_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function flatten(errors: ValidationError[], prefix = ''): ProblemField[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Walks a parsed body or query without recursion: too deep, NUL and unpaired surrogates are named by field. */
export function hostileInputProblems(value: unknown, root = ''): ProblemField[] {
  const problems: ProblemField[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (stack.length > 0 && problems.length < 20) {
    const item = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof item.value === 'string') {
      if (NOT_TEXT.test(item.value))
        problems.push({
          field: item.path || '(body)',
          message: 'must be text without NUL characters or unpaired surrogates',
        });
    } else if (item.value !== null && typeof item.value === 'object') {
      if (item.depth >= MAX_INPUT_DEPTH) {
        problems.push({ field: item.path || '(body)', message: `is nested more than ${MAX_INPUT_DEPTH} levels deep` });
        continue;
      }
      for (const [key, child] of Object.entries(item.value)) {
        const path = item.path ? `${item.path}.${key}` : key;
        if (NOT_TEXT.test(key))
          problems.push({
            field: path.slice(0, 100),
            message: 'field names must be text without NUL characters or unpaired surrogates',
          });
        else stack.push({ value: child, path, depth: item.depth + 1 });
      }
    }
  }
  return problems;
}

function invalid(fields: ProblemField[]): ProblemException {
  const names = fields.map((f) => f.field).filter((f, i, a) => a.indexOf(f) === i);
  return new ProblemException(400, `invalid ${names.join(', ')}`, { errors: fields });
}

/** DTO validation: unknown fields refused, every bad field named, as one 400 problem. */
class ProblemValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Path parameters are left to their own pipes, which answer 404 for what cannot exist.
    if (metadata.type === 'body' || metadata.type === 'query') {
      const problems = hostileInputProblems(value);
      if (problems.length > 0) throw invalid(problems);
    }
    return super.transform(value, metadata);
  }
}

export function validationPipe(): ValidationPipe {
  return new ProblemValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => invalid(flatten(errors)),
  });
}
