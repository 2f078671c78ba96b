import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { LIST_LIMIT, LIST_TOTAL_CAP } from '@app/persistence';
import { ProblemDto } from '../problem/problem.dto';

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
    .addTag('health', 'Probes for orchestrators and load balancers (no token)')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDto],
    // Stable, readable ids for generated clients: recommendations_raise, nations_list, …
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}_${methodKey}`,
  });
  return tidyReferences(document);
}

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Nest writes every reference to a named schema as `allOf: [{ $ref }]`, so that keywords beside it
 * (a description, `nullable`) count: OpenAPI 3.0 ignores the siblings of a `$ref`. This keeps the
 * `allOf` only where something stands beside it, and gives a nullable reference the `type` of what
 * it refers to (3.0 reads `nullable` only next to a `type`).
 */
export function tidyReferences(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const typeOf = (ref: string): unknown => schemas[ref.replace('#/components/schemas/', '')]?.type;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isObject(node)) return node;
    const out: Schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v)]));
    const allOf = out.allOf;
    if (Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0]) && typeof allOf[0].$ref === 'string') {
      const ref = allOf[0].$ref;
      const siblings = Object.keys(out).filter((k) => k !== 'allOf');
      if (siblings.length === 0) return { $ref: ref };
      if (out.nullable === true && out.type === undefined && typeOf(ref) !== undefined)
        return { type: typeOf(ref), ...out };
    }
    return out;
  };
  return visit(document) as OpenAPIObject;
}
