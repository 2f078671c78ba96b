import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemException, type ProblemField } from './problem';

function flatten(errors: ValidationError[], prefix = ''): ProblemField[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** DTO validation: unknown fields refused, every bad field named, as one 400 problem. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new ProblemException(400, `invalid ${fields.map((f) => f.field).filter((f, i, a) => a.indexOf(f) === i).join(', ')}`, {
        errors: fields,
      });
    },
  });
}
