import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { LIST_LIMIT } from '@app/persistence';
import { CLIENT_TYPES_FILE, generateClientTypes, lintOpenApi, OPENAPI_FILE, openApiJson } from '@app/testing/openapi';
import { AppModule } from '../app.module';
import { createOpenApiDocument } from './openapi.document';

const REGENERATE = 'run `npm run openapi` and commit docs/openapi.json and test/contract/generated/';

interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema?: Record<string, unknown> }[];
  responses: Record<
    string,
    { content?: Record<string, { schema?: unknown; example?: unknown }>; headers?: Record<string, unknown> }
  >;
}

function operations(document: OpenAPIObject): { method: string; path: string; op: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      op,
    })),
  );
}

describe('the OpenAPI document (the contract other systems code against)', () => {
  let built: OpenAPIObject;
  const committed = (): OpenAPIObject => JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as OpenAPIObject;

  beforeAll(async () => {
    // Preview: the module graph without providers, so nothing connects to PostgreSQL or Temporal.
    const app = await NestFactory.create(AppModule, { preview: true, logger: false, abortOnError: false });
    built = createOpenApiDocument(app);
    await app.close();
  });

  it(`is the one committed in docs/openapi.json (else ${REGENERATE})`, () => {
    expect(openApiJson(built)).toBe(readFileSync(OPENAPI_FILE, 'utf8'));
  });

  it(`gives the client types committed in test/contract/generated/ (openapi-typescript; else ${REGENERATE})`, () => {
    expect(generateClientTypes(OPENAPI_FILE)).toBe(readFileSync(CLIENT_TYPES_FILE, 'utf8'));
  });

  it('passes Redocly lint (recommended rules) without a problem', () => {
    const { problems, output } = lintOpenApi(OPENAPI_FILE);
    if (problems.length > 0) console.error(output);
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message}`)).toEqual([]);
  });

  it('documents a typed success body for every operation', () => {
    const missing = operations(committed())
      .filter(({ op }) => {
        const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
        return (
          success.length === 0 ||
          success.some(([, r]) => Object.values(r.content ?? {}).some((c) => c.schema === undefined) || !r.content)
        );
      })
      .map(({ method, path }) => `${method} ${path}`);
    expect(missing).toEqual([]);
  });

  it('documents every error as problem+json with the problem schema and an example; 429 and 503 with Retry-After', () => {
    const wrong: string[] = [];
    for (const { method, path, op } of operations(committed())) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]\d\d$/.test(status)) continue;
        const problem = response.content?.['application/problem+json'];
        if (Object.keys(response.content ?? {}).join() !== 'application/problem+json')
          wrong.push(`${method} ${path} ${status}: not only problem+json`);
        if (JSON.stringify(problem?.schema) !== JSON.stringify({ $ref: '#/components/schemas/ProblemDto' }))
          wrong.push(`${method} ${path} ${status}: schema`);
        if ((problem?.example as { status?: number } | undefined)?.status !== Number(status))
          wrong.push(`${method} ${path} ${status}: example`);
        if ((status === '429' || status === '503') && !response.headers?.['Retry-After'])
          wrong.push(`${method} ${path} ${status}: Retry-After`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('secures every route but the probes with the bearer token, and says what an unauthenticated, rate-limited or unavailable call gets', () => {
    const wrong: string[] = [];
    for (const { method, path, op } of operations(committed())) {
      const probe = path.startsWith('/health/');
      if (probe) {
        if (JSON.stringify(op.security) !== '[]') wrong.push(`${method} ${path}: security should be []`);
        continue;
      }
      if (JSON.stringify(op.security) !== JSON.stringify([{ bearer: [] }])) wrong.push(`${method} ${path}: security`);
      for (const status of ['401', '429', '503'])
        if (!op.responses[status]) wrong.push(`${method} ${path}: no ${status}`);
      // A read answers with an ETag and honours If-None-Match; an event stream has no end to tag, and resumes
      // with Last-Event-ID instead.
      const stream = Object.keys(op.responses['200']?.content ?? {}).includes('text/event-stream');
      if (method === 'GET' && !stream && !(op.responses['200']?.headers?.ETag && op.responses['304']))
        wrong.push(`${method} ${path}: ETag and 304`);
      if (stream && !op.parameters?.some((p) => p.in === 'header' && p.name === 'Last-Event-ID'))
        wrong.push(`${method} ${path}: Last-Event-ID`);
      if (
        method === 'POST' &&
        path.includes('{ref}') &&
        !op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')
      ) {
        wrong.push(`${method} ${path}: Idempotency-Key`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('states the one page-size limit the list enforces', () => {
    const list = operations(committed()).find(({ op }) => op.operationId === 'recommendations_list');
    const limit = list?.op.parameters?.find((p) => p.name === 'limit');
    expect(limit?.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: LIST_LIMIT.max,
      default: LIST_LIMIT.default,
    });
  });
});
