import 'reflect-metadata';

import { Logger as NestLogger } from '@nestjs/common';

import { boundShutdown } from '@app/common';
import { AppConfigValues, ConfigValidationError, loadConfig, loadDotEnv } from '@app/config';
import { explainStartupError, prepareDatabase, redisUnreachableWarning } from '@app/database';
import { redisUnreachable } from '@app/queue';

import { createApi } from './create-api';

// Read before anything can fail, so a failure can be explained in the configuration's terms.
let config: AppConfigValues | undefined;

// `node dist/apps/api/src/main.js` serves HTTP only; with --with-workers the same process also
// runs every BullMQ worker (what `npm start` does).
async function bootstrap(): Promise<void> {
  loadDotEnv();
  config = loadConfig();
  const redisProblem = await redisUnreachable(config.redis.REDIS_URL);
  if (redisProblem) console.warn(redisUnreachableWarning(config.redis.REDIS_URL, redisProblem));
  const withWorkers = process.argv.includes('--with-workers');
  await prepareDatabase(config.database);
  const app = await createApi({ withWorkers });
  const logger = new NestLogger('Api');
  for (const name of config.devDefaults) {
    logger.warn(`${name} is not set: using a development default (never do this in production)`);
  }
  boundShutdown(config.http.SHUTDOWN_TIMEOUT_MS, logger);
  await app.listen({ port: config.http.PORT, host: config.http.HOST });
  logger.log(
    `Listening on ${config.http.HOST}:${config.http.PORT} ` +
      `(${withWorkers ? 'API and workers' : 'API only'}); docs at /docs`,
  );
}

bootstrap().catch((error: unknown) => {
  const explained = config ? explainStartupError(error, config.database.DATABASE_URL) : null;
  console.error(explained ?? (error instanceof ConfigValidationError ? error.message : error));
  process.exit(1);
});
