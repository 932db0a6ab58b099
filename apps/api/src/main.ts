import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { boundShutdown } from '@app/common';
import { ConfigValidationError, loadConfig } from '@app/config';
import { prepareDatabase } from '@app/database';
import { createApi } from './create-api';

// `node dist/apps/api/src/main.js` serves HTTP only; with --with-workers the same process also
// runs every BullMQ worker (what `npm start` does).
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const withWorkers = process.argv.includes('--with-workers');
  await prepareDatabase(config.database);
  const app = await createApi({ withWorkers });
  const logger = new NestLogger('Api');
  for (const name of config.devDefaults) {
    logger.warn(`${name} is not set: using a development default (never do this in production)`);
  }
  boundShutdown(config.http.SHUTDOWN_TIMEOUT_MS, logger);
  await app.listen({ port: config.http.PORT, host: config.http.HOST });
  logger.log(`Listening on ${config.http.HOST}:${config.http.PORT} (${withWorkers ? 'API and workers' : 'API only'}); docs at /docs`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
