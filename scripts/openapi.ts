/**
 * `npm run openapi`: writes the contract — the OpenAPI document (docs/openapi.json) and the types
 * openapi-typescript generates from it (test/contract/generated/dipb-api.d.ts) — then lints the document
 * with Redocly CLI. Run it after changing a route, a DTO or a domain enumeration; the tests fail until
 * the committed files match what the app serves.
 *
 * The document comes from the built API (`npm run build` first, done here): it is read from decorator
 * metadata, which SWC emits and tsx (esbuild) does not.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppModule as AppModuleType } from '../apps/api/src/app.module';
import type { createOpenApiDocument as CreateOpenApiDocument } from '../apps/api/src/openapi/openapi.document';
import {
  CLIENT_TYPES_FILE,
  generateClientTypes,
  lintOpenApi,
  OPENAPI_FILE,
  openApiJson,
} from '../libs/testing/src/openapi';
import { repoRoot } from './stack';

async function main(): Promise<void> {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status})`);

  const dist = join(repoRoot, 'dist', 'apps', 'api', 'src');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built code, by path
  const { AppModule } = require(join(dist, 'app.module.js')) as { AppModule: typeof AppModuleType };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built code, by path
  const { createOpenApiDocument } = require(join(dist, 'openapi', 'openapi.document.js')) as {
    createOpenApiDocument: typeof CreateOpenApiDocument;
  };

  // Preview: the module graph without instantiating providers, so nothing connects to PostgreSQL or Temporal.
  const app: INestApplication = await NestFactory.create(AppModule, {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const document = createOpenApiDocument(app);
  await app.close();

  writeFileSync(OPENAPI_FILE, openApiJson(document));
  writeFileSync(CLIENT_TYPES_FILE, generateClientTypes(OPENAPI_FILE));
  const operations = Object.values(document.paths).reduce(
    (n, item) => n + Object.keys(item).filter((k) => k !== 'parameters').length,
    0,
  );
  const webhooks = Object.keys(document.webhooks ?? {}).length;
  console.log(
    `wrote ${relative(repoRoot, OPENAPI_FILE)} (OpenAPI ${document.openapi}, ${operations} operations, ${webhooks} webhook(s)) and ${relative(repoRoot, CLIENT_TYPES_FILE)}`,
  );

  const { problems, output } = lintOpenApi(OPENAPI_FILE);
  if (problems.length > 0) {
    console.error(output);
    throw new Error(`redocly lint: ${problems.length} problem(s)`);
  }
  console.log('redocly lint: no problems');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
