import 'reflect-metadata';

import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

import { boundShutdown } from '@app/common';
import { AppConfigValues, ConfigValidationError, loadConfig, loadDotEnv } from '@app/config';
import { explainStartupError, prepareDatabase, redisUnreachableWarning } from '@app/database';
import { redisUnreachable } from '@app/queue';

import { WorkerModule } from './worker.module';

// Read before anything can fail, so a failure can be explained in the configuration's terms.
let config: AppConfigValues | undefined;

// A worker process: BullMQ processors only, no HTTP.
async function bootstrap(): Promise<void> {
  loadDotEnv();
  config = loadConfig();
  const redisProblem = await redisUnreachable(config.redis.REDIS_URL);
  if (redisProblem) console.warn(redisUnreachableWarning(config.redis.REDIS_URL, redisProblem));
  await prepareDatabase(config.database);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  boundShutdown(config.http.SHUTDOWN_TIMEOUT_MS, new NestLogger('Worker'));
  new NestLogger('Worker').log('Worker started');
}

bootstrap().catch((error: unknown) => {
  const explained = config ? explainStartupError(error, config.database.DATABASE_URL) : null;
  console.error(explained ?? (error instanceof ConfigValidationError ? error.message : error));
  process.exit(1);
});
