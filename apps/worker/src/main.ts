import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { boundShutdown } from '@app/common';
import { ConfigValidationError, loadConfig } from '@app/config';
import { prepareDatabase } from '@app/database';
import { WorkerModule } from './worker.module';

// A worker process: BullMQ processors only, no HTTP.
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  await prepareDatabase(config.database);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  boundShutdown(config.http.SHUTDOWN_TIMEOUT_MS, new NestLogger('Worker'));
  new NestLogger('Worker').log('Worker started');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
