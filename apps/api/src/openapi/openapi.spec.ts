import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { LIST_LIMIT } from '@app/persistence';
import { CLIENT_TYPES_FILE, generateClientTypes, lintOpenApi, OPENAPI_FILE, openApiJson } from '@app/testing/openapi';
import { AppModule } from '../app.module';
import { createOpenApiDocument, tidyReferences, toOpenApi31 } from './openapi.document';

const REGENERATE = 'run `npm run openapi` and commit docs/openapi.json and test/contract/generated/';

interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[];
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

  it('documents a typed success body for every operation (204 alone has none)', () => {
    const missing = operations(committed())
      .filter(({ op }) => {
        const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
        // 204 No Content is the one success that must not have a body.
        if (success.length === 1 && success[0]![0] === '204') return success[0]![1].content !== undefined;
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

  it('is OpenAPI 3.1: no 3.0 `nullable`, and a reference is a `$ref` (with its description beside it), never a lone `allOf`', () => {
    const document = committed();
    expect(document.openapi).toBe('3.1.0');
    const wrong: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const o = node as Record<string, unknown>;
      if ('nullable' in o) wrong.push(`${at}: nullable`);
      if (typeof o.exclusiveMinimum === 'boolean' || typeof o.exclusiveMaximum === 'boolean')
        wrong.push(`${at}: boolean exclusive bound`);
      if (Array.isArray(o.allOf) && o.allOf.length === 1) wrong.push(`${at}: allOf of one`);
      for (const [k, v] of Object.entries(o)) if (k !== 'example' && k !== 'examples') visit(v, `${at}/${k}`);
    };
    visit(document, '#');
    expect(wrong).toEqual([]);
    // What a nullable field looks like now: a type with "null", or a reference or null.
    const schemas = document.components?.schemas as Record<string, { properties: Record<string, unknown> }>;
    expect(schemas.RoundDto?.properties.outcome).toMatchObject({
      type: ['string', 'null'],
      enum: ['held', 'broken', null],
    });
    expect(schemas.RecommendationDto?.properties.consensus).toEqual({
      description: expect.any(String),
      anyOf: [{ $ref: '#/components/schemas/RoundDto' }, { type: 'null' }],
    });
  });

  it('documents what the service POSTs to a subscriber: the recommendation-event webhook, signed, a CloudEvent', () => {
    const document = committed();
    const { webhooks } = document as unknown as {
      webhooks: Record<
        string,
        { post: Operation & { requestBody: { required: boolean; content: Record<string, unknown> } } }
      >;
    };
    expect(Object.keys(webhooks)).toEqual(['recommendation-event']);
    const post = webhooks['recommendation-event']!.post;
    expect(post.security).toEqual([]);
    expect(post.parameters?.map((p) => `${p.in} ${p.name} ${p.required}`)).toEqual([
      'header webhook-id true',
      'header webhook-timestamp true',
      'header webhook-signature true',
    ]);
    expect(post.requestBody.required).toBe(true);
    expect(post.requestBody.content).toEqual({
      'application/cloudevents+json': {
        schema: { $ref: '#/components/schemas/WebhookEvent' },
        example: expect.objectContaining({ specversion: '1.0', type: 'int.nato.dipb.national-response' }),
      },
    });
    expect(Object.keys(post.responses)).toEqual(['2XX', 'default']);
    const event = document.components?.schemas?.WebhookEvent as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    expect(event.required).toEqual(Object.keys(event.properties));
    expect(Object.keys(event.properties)).toEqual([
      'specversion',
      'id',
      'source',
      'type',
      'subject',
      'time',
      'datacontenttype',
      'data',
    ]);
    expect(event.properties.specversion).toMatchObject({ const: '1.0' });
    expect(event.properties.datacontenttype).toMatchObject({ const: 'application/json' });
    expect(event.properties.time).toMatchObject({ type: 'string', format: 'date-time' });
    expect(event.properties.type?.enum).toContain('int.nato.dipb.national-response');
    expect(event.properties.data).toMatchObject({ $ref: '#/components/schemas/FeedEventDto' });
  });
});

describe('from what Nest writes (OpenAPI 3.0) to OpenAPI 3.1', () => {
  const doc = (schemas: Record<string, unknown>, extra: Record<string, unknown> = {}): OpenAPIObject =>
    ({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: { schemas },
      ...extra,
    }) as OpenAPIObject;
  const schemasOf = (document: OpenAPIObject): Record<string, unknown> =>
    document.components?.schemas as Record<string, unknown>;
  const convert = (schema: Record<string, unknown>): unknown =>
    schemasOf(tidyReferences(toOpenApi31(doc({ S: schema })))).S;

  it('makes a nullable type a list of types with "null", and lets an enumeration hold null', () => {
    expect(convert({ type: 'string', format: 'date-time', nullable: true, description: 'd' })).toEqual({
      type: ['string', 'null'],
      format: 'date-time',
      description: 'd',
    });
    expect(convert({ type: 'number', minimum: 0, nullable: true })).toEqual({ type: ['number', 'null'], minimum: 0 });
    expect(convert({ type: 'string', enum: ['held', 'broken'], nullable: true })).toEqual({
      type: ['string', 'null'],
      enum: ['held', 'broken', null],
    });
  });

  it('makes a nullable reference anyOf the reference and null, its description beside and the type Nest adds for 3.0 gone', () => {
    expect(
      convert({
        description: 'The round',
        nullable: true,
        type: 'object',
        allOf: [{ $ref: '#/components/schemas/R' }],
      }),
    ).toEqual({ description: 'The round', anyOf: [{ $ref: '#/components/schemas/R' }, { type: 'null' }] });
    expect(
      convert({ nullable: true, type: 'object', required: ['a'], allOf: [{ $ref: '#/components/schemas/R' }] }),
    ).toEqual({
      anyOf: [{ $ref: '#/components/schemas/R', type: 'object', required: ['a'] }, { type: 'null' }],
    });
    expect(convert({ nullable: true, $ref: '#/components/schemas/R' })).toEqual({
      anyOf: [{ $ref: '#/components/schemas/R' }, { type: 'null' }],
    });
  });

  it('drops a nullable that says nothing (false, or with no type), and keeps a non-nullable schema as it is', () => {
    expect(convert({ type: 'string', nullable: false })).toEqual({ type: 'string' });
    expect(convert({ description: 'anything', nullable: true })).toEqual({ description: 'anything' });
    expect(convert({ type: 'integer', minimum: 1 })).toEqual({ type: 'integer', minimum: 1 });
  });

  it('makes a 3.0 boolean exclusive bound the bound itself', () => {
    expect(
      convert({ type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: false }),
    ).toEqual({ type: 'number', exclusiveMinimum: 0, maximum: 1 });
  });

  it('writes a reference as a $ref, with what stands beside it, instead of an allOf of one', () => {
    const ref = { $ref: '#/components/schemas/R' };
    expect(convert({ allOf: [ref] })).toEqual(ref);
    expect(convert({ description: 'd', allOf: [ref] })).toEqual({ $ref: ref.$ref, description: 'd' });
    expect(convert({ allOf: [ref, { type: 'object' }] })).toEqual({ allOf: [ref, { type: 'object' }] });
  });

  it('converts schemas anywhere (nested, parameters), and never examples, defaults or a property named like a keyword', () => {
    const example = { nullable: true, allOf: [{ $ref: 'x' }] };
    const [NULLABLE, NULL_31] = [{ type: 'string', nullable: true }, { type: ['string', 'null'] }];
    const document = toOpenApi31(
      doc(
        {
          S: {
            type: 'object',
            properties: {
              nullable: { type: 'boolean' },
              items: { type: 'array', items: { type: 'string', nullable: true } },
            },
            example,
          },
        },
        {
          paths: {
            '/x': {
              get: {
                parameters: [{ name: 'q', in: 'query', schema: NULLABLE }],
                responses: {
                  default: { description: 'd', content: { 'application/json': { schema: NULLABLE, example } } },
                },
              },
            },
          },
        },
      ),
    );
    expect(schemasOf(document).S).toEqual({
      type: 'object',
      properties: {
        nullable: { type: 'boolean' },
        items: { type: 'array', items: { type: ['string', 'null'] } },
      },
      example,
    });
    expect(JSON.stringify(document.paths)).toBe(
      JSON.stringify({
        '/x': {
          get: {
            parameters: [{ name: 'q', in: 'query', schema: NULL_31 }],
            responses: { default: { description: 'd', content: { 'application/json': { schema: NULL_31, example } } } },
          },
        },
      }),
    );
  });
});
