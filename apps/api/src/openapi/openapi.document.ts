import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { LIST_LIMIT, LIST_TOTAL_CAP } from '@app/persistence';
import { ProblemDto } from '../problem/problem.dto';
import { addWebhooks } from './webhooks';

const DESCRIPTION = `Commands and reads for the recommendations of NATO's Defence Industrial Production Board (DIPB).

Every route except \`/health/*\` needs \`Authorization: Bearer <JWT>\` (claims \`sub\`, \`name\`, \`roles\`, \`nation\`, \`workingGroups\`).
A command answers with the recommendation as the workflow has it after accepting the command; \`Idempotency-Key\` makes a retried command safe.

Every error is \`application/problem+json\` (RFC 9457): 400 invalid request (every bad field named in \`errors\`), 401 no or bad token,
403 role or nation not allowed, 404 unknown reference or nation, 409 not allowed in the current stage, 413 body over 512 kB,
422 Idempotency-Key reused with another body, 429 rate limited and 503 PostgreSQL or Temporal unavailable (both with \`Retry-After\`).

Lists are pages of at most ${LIST_LIMIT.max} (default ${LIST_LIMIT.default}), newest first, with an opaque \`nextCursor\`; their \`total\` is
counted up to ${LIST_TOTAL_CAP} (past that, \`totalIsExact\` is false).
Reads carry a weak \`ETag\`; \`If-None-Match\` answers 304 when nothing changed.`;

/** The OpenAPI document: served at /docs-json and written to docs/openapi.json by `npm run openapi`. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('DIPB recommendations')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .setLicense('Proprietary', 'https://dipb.example/license')
    .setContact('DIPB secretariat', 'https://dipb.example', 'dipb-secretariat@example.nato.int')
    .addServer('/', 'This service')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'HS256 or RS256 JWT; issuer and audience are checked',
      },
      'bearer',
    )
    .addTag(
      'recommendations',
      'The lifecycle of a recommendation: commands (to its workflow) and reads (from the record)',
    )
    .addTag('repairs', 'Operators’ repairs, each recorded in the audit trail with its actor')
    .addTag('nations', 'The Allies and their directors')
    .addTag('reports', 'Acceptance and implementation figures')
    .addTag('events', 'The change feed: every event in one order, paged or live (Server-Sent Events)')
    .addTag(
      'webhooks',
      'Subscriptions that push the change feed to other systems, signed (Standard Webhooks), as CloudEvents',
    )
    .addTag('health', 'Probes for orchestrators and load balancers (no token)')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDto],
    // Stable, readable ids for generated clients: recommendations_raise, nations_list, …
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}_${methodKey}`,
  });
  return addWebhooks(tidyReferences(toOpenApi31(document)));
}

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys whose value is data (an example, a default, a list of values), never a schema: left as they are. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const', 'value']);
/** Keys whose value maps names (of properties, schemas, statuses, …) to objects: a name there is never a keyword. */
const NAME_MAPS = new Set([
  ...['properties', 'patternProperties', '$defs', 'dependentSchemas'],
  ...['paths', 'webhooks', 'responses', 'content', 'headers', 'encoding', 'callbacks', 'links'],
  ...['schemas', 'parameters', 'requestBodies', 'securitySchemes'],
]);

/**
 * Rewrites every object of the document bottom up with `rewrite`, its children already rewritten.
 * Data (examples, defaults, enumerations) is left alone, and so are the names in a map of names,
 * so that a property called `nullable` or an example holding `allOf` is never taken for a keyword.
 */
function rewriteObjects(node: unknown, rewrite: (object: Schema) => Schema): unknown {
  const walk = (value: unknown, names: boolean): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, false));
    if (!isObject(value)) return value;
    const out: Schema = Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, !names && DATA_KEYS.has(k) ? v : walk(v, !names && NAME_MAPS.has(k))]),
    );
    return names ? out : rewrite(out);
  };
  return walk(node, false);
}

/** What says something about a schema without constraining it: kept beside the `anyOf` of a nullable reference. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'example',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

const COMPOSITION = ['allOf', 'anyOf', 'oneOf', '$ref'];

/**
 * Nest writes OpenAPI 3.0 schemas (@nestjs/swagger has no 3.1 writer); this spells them in 3.1, that
 * is JSON Schema 2020-12, without changing what they mean:
 *
 * - `nullable: true` beside a `type`: the type becomes a list with `"null"` (`type: ['string', 'null']`),
 *   and an `enum` gains `null` (an `enum` is checked on its own and would refuse it otherwise).
 * - `nullable: true` on a reference (Nest writes `allOf: [{ $ref }]` with a `type`): `anyOf` the
 *   reference and `{ type: 'null' }`, its description beside; the `type` Nest adds for 3.0 goes (a
 *   schema with more than a reference keeps its type, inside the `anyOf`).
 * - `nullable: false`, and `nullable` with nothing to widen (no type, no reference), go: 3.0 reads it
 *   only next to a `type`.
 * - `exclusiveMinimum`/`exclusiveMaximum: true` (3.0 booleans) become the bound itself; `false` goes.
 */
export function toOpenApi31(document: OpenAPIObject): OpenAPIObject {
  return rewriteObjects(document, (schema) => {
    const out = exclusiveBounds(schema);
    if (!('nullable' in out)) return out;
    const { nullable, ...rest } = out;
    if (nullable !== true) return rest;
    if (COMPOSITION.some((k) => k in rest)) {
      const annotations = Object.fromEntries(Object.entries(rest).filter(([k]) => ANNOTATIONS.has(k)));
      const constraints = Object.fromEntries(Object.entries(rest).filter(([k]) => !ANNOTATIONS.has(k)));
      // Nest's `type` beside a lone composition only made 3.0 read `nullable`: what is referred to has its own.
      const { type: _type, ...composition } = constraints;
      const core = Object.keys(composition).every((k) => COMPOSITION.includes(k)) ? composition : constraints;
      return { ...annotations, anyOf: [unwrapReference(core), { type: 'null' }] };
    }
    if (typeof rest.type === 'string' || Array.isArray(rest.type)) {
      const types = [rest.type].flat() as string[];
      const widened: Schema = { ...rest, type: types.includes('null') ? types : [...types, 'null'] };
      if (Array.isArray(rest.enum) && !rest.enum.includes(null)) widened.enum = [...(rest.enum as unknown[]), null];
      return widened;
    }
    return rest;
  }) as OpenAPIObject;
}

function exclusiveBounds(schema: Schema): Schema {
  const out = { ...schema };
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else delete out[exclusive];
  }
  return out;
}

/** `{ allOf: [{ $ref }] }` alone is the reference itself. */
function unwrapReference(schema: Schema): Schema {
  const { allOf, ...siblings } = schema;
  if (Object.keys(siblings).length === 0 && isSingleReference(allOf)) return allOf[0];
  return schema;
}

function isSingleReference(allOf: unknown): allOf is [{ $ref: string }] {
  return (
    Array.isArray(allOf) &&
    allOf.length === 1 &&
    isObject(allOf[0]) &&
    typeof allOf[0].$ref === 'string' &&
    Object.keys(allOf[0]).length === 1
  );
}

/**
 * Nest writes every reference to a named schema as `allOf: [{ $ref }]`, so that keywords beside it
 * (a description) count: OpenAPI 3.0 ignores the siblings of a `$ref`. 3.1 does not, so this writes
 * the reference itself, with whatever stands beside it: `{ $ref, description }`.
 */
export function tidyReferences(document: OpenAPIObject): OpenAPIObject {
  return rewriteObjects(document, (schema) => {
    const { allOf, ...siblings } = schema;
    return isSingleReference(allOf) && !('$ref' in siblings) ? { ...allOf[0], ...siblings } : schema;
  }) as OpenAPIObject;
}
