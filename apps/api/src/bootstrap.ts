import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { validationPipe } from './problem/validation';

export const BODY_LIMIT = '512kb';

/** Everything main.ts and the end-to-end tests share, so tests run the app as it ships. */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.use(helmet());
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: BODY_LIMIT, strict: true });
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('DIPB recommendations')
      .setDescription('Commands and reads for the recommendations of the Defence Industrial Production Board')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
