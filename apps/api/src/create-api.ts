import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';

import { AppConfig, loadConfig, parseTrustProxy } from '@app/config';

import { ApiModule, ApiOptions } from './api.module';
import { mountBullBoard } from './bull-board';
import { registerHttp, RouteInfo } from './http';
import { describeApi, usePrefix } from './openapi';
import { serveConsole } from './web-console';

export { API_PREFIX } from './openapi';
export type { RouteInfo } from './http';

// Every route the HTTP server ends up with (Nest controllers, docs, bull-board), recorded as
// Fastify registers it, so tests can prove none escapes the auth guard.
const routeCatalog = new WeakMap<NestFastifyApplication, RouteInfo[]>();

export function listRoutes(app: NestFastifyApplication): RouteInfo[] {
  return routeCatalog.get(app) ?? [];
}

// Builds the HTTP application (used by main.ts and by the e2e tests, so both run the same app).
export async function createApi(options: ApiOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(options),
    new FastifyAdapter({
      // X-Forwarded-For only from the configured proxies (none by default): a client-chosen address
      // would walk past every per-IP limit.
      trustProxy: parseTrustProxy(loadConfig().http.TRUST_PROXY),
      bodyLimit: 20 * 1024 * 1024,
      // Reuse the caller's request id when it sends a sane one, so logs join across services.
      requestIdHeader: false,
      genReqId: (req: { headers: IncomingHttpHeaders }) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
      },
    }),
    // Throw instead of exiting, so main.ts reports the error and tests see it.
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  const config = app.get(AppConfig);
  const routes: RouteInfo[] = [];
  routeCatalog.set(app, routes);
  await registerHttp(app, routes);

  usePrefix(app);
  const origins = config.http.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins, credentials: false });

  if (config.http.DOCS_ENABLED) {
    SwaggerModule.setup('docs', app, describeApi(app), { jsonDocumentUrl: 'docs/openapi.json' });
  }
  await mountBullBoard(app);
  await serveConsole(app);
  app.enableShutdownHooks();
  return app;
}
