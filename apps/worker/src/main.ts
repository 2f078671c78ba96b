import 'reflect-metadata';
import { getHeapStatistics } from 'node:v8';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@app/config';
import { WORKER_HEAP_MIB, WORKER_NODE_ARGS } from './node-options';
import { installRuntime } from './telemetry';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig(); // a bad environment stops here, naming the variable
  installRuntime(config);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  // The limit includes the young generation; twice the intended old space means nobody set it.
  const heapMiB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  if (heapMiB > 2 * WORKER_HEAP_MIB) {
    logger.warn(
      `the V8 heap limit is ${heapMiB} MiB: start the worker with ${WORKER_NODE_ARGS.join(' ')} (npm run start:worker does) to bound its memory`,
    );
  }
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
