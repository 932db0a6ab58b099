import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import helmet, { FastifyHelmetOptions } from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import Fastify from 'fastify';
import { Logger } from 'nestjs-pino';

import { AppConfig, loadConfig, parseTrustProxy } from '@app/config';
import { MetricsService } from '@app/health';

import { ApiModule, ApiOptions } from './api.module';
import { mountBullBoard } from './bull-board';
import { describeApi, usePrefix } from './openapi';
import { registerRequestLimits } from './request-limits';
import { serveConsole } from './web-console';

export { API_PREFIX } from './openapi';

export interface RouteInfo {
  method: string;
  url: string;
}

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
  const fastify = app.getHttpAdapter().getInstance();
  await registerRequestLimits(app);
  app.get(MetricsService).observe(fastify);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  // Inline scripts only where a third-party UI needs them (Swagger UI at /docs, the queue board);
  // the console, the API and the client pages get a policy without them. Inline styles stay:
  // Ant Design writes its styles at run time.
  const directives = { defaultSrc: [`'self'`], styleSrc: [`'self'`, `'unsafe-inline'`], imgSrc: [`'self'`, 'data:'] };
  const strictHeaders = Object.entries(
    await helmetHeaders({ contentSecurityPolicy: { directives: { ...directives, scriptSrc: [`'self'`] } } }),
  );
  const laxHeaders = Object.entries(
    await helmetHeaders({
      contentSecurityPolicy: { directives: { ...directives, scriptSrc: [`'self'`, `'unsafe-inline'`] } },
    }),
  );
  const needsInlineScripts = /^\/(docs|admin\/queues)(\/|$|\?)/;
  fastify.addHook('onRequest', (request, reply, done) => {
    // On the raw response, as @fastify/helmet sets them, so routes that write it directly get them.
    for (const [name, value] of needsInlineScripts.test(request.url) ? laxHeaders : strictHeaders)
      reply.raw.setHeader(name, value);
    void reply.header('x-request-id', request.id);
    done();
  });

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

// helmet's headers are the same for every response, but @fastify/helmet builds helmet again for
// each request (~10 µs of CPU, a thirtieth of a cached read): they are taken once from a probe
// server and then set as they are.
async function helmetHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = async (withHelmet: boolean): Promise<Record<string, unknown>> => {
    const server = Fastify();
    if (withHelmet) await server.register(helmet, options);
    server.get('/', () => '');
    const { headers } = await server.inject({ url: '/' });
    await server.close();
    return headers;
  };
  const [bare, secured] = await Promise.all([probe(false), probe(true)]);
  return Object.fromEntries(
    Object.entries(secured).filter(([name, value]) => typeof value === 'string' && !(name in bare)),
  ) as Record<string, string>;
}
