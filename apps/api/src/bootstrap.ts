import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { urlencoded } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { startTracing } from '@app/temporal/tracing';
import { createOpenApiDocument } from './openapi/openapi.document';
import { validationPipe } from './problem/validation';
import { httpTracing } from './tracing/http-tracing';

export const BODY_LIMIT = '512kb';

/** Everything main.ts and the end-to-end tests share, so tests run the app as it ships. */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  const config = app.get<AppConfig>(APP_CONFIG);
  // Before everything else, so the request's span is active for the logger (request id = trace id) and the Temporal client.
  // Without an exporter there is no span to make: the middleware is left out rather than run as a no-op on every request.
  const tracing = startTracing(config.OTEL_SERVICE_NAME ?? 'dipb-api', config.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (tracing.enabled) app.use(httpTracing());
  app.use(helmet());
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: BODY_LIMIT, strict: true });
  // The directory import (text/csv) only; other routes take JSON.
  app.useBodyParser('text', { type: 'text/csv', limit: BODY_LIMIT });
  // The personal link pages: an HTML form (urlencoded) and its CSRF cookie, there only.
  app.use('/links', cookieParser(), urlencoded({ extended: false, limit: '64kb', parameterLimit: 20 }));
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
