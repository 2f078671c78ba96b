import { ConfigModule } from '@app/config';
import type { Actor } from '@app/domain';
import { freshDatabase, type FreshDatabase } from '@app/persistence/testing/fresh-database';
import { ValidationPipe, type INestApplication, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { App } from 'supertest/types';
import type { AuthenticatedRequest } from '../auth/auth.decorators';

export interface ModuleApp {
  app: INestApplication;
  server(): App;
  /** The spec's own database, for data a test puts in place. */
  db(): FreshDatabase;
}

/**
 * Registers the hooks of a spec that serves some of the API's modules as the AppModule wires them, on a
 * database of their own (`name`). Authentication and problem+json are the app's global guard and filter,
 * tested with the app; here every request carries `actor`, as the guard would have built it from a token.
 */
export function useModuleApp(name: string, imports: Type[], actor: Actor): ModuleApp {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, JWT_SECRET: process.env.JWT_SECRET };
  let db: FreshDatabase;
  const handle = { server: () => handle.app.getHttpServer() as App, db: () => db } as ModuleApp;
  beforeAll(async () => {
    db = await freshDatabase(name);
    process.env.DATABASE_URL = db.url;
    process.env.JWT_SECRET ??= 'test-secret-test-secret-test-secret-0000';
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, ...imports] }).compile();
    handle.app = moduleRef.createNestApplication();
    handle.app.use((req: AuthenticatedRequest, _res: unknown, next: () => void) => {
      req.actor = actor;
      next();
    });
    handle.app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
    await handle.app.init();
  });
  afterAll(async () => {
    await handle.app.close();
    await db.drop();
    process.env.DATABASE_URL = saved.DATABASE_URL;
    if (saved.JWT_SECRET === undefined) delete process.env.JWT_SECRET;
  });
  return handle;
}
