import helmet, { FastifyHelmetOptions } from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Fastify, { FastifyInstance } from 'fastify';
import { PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';

import { registerPublicPages } from '@app/common';
import { AppConfig } from '@app/config';
import { registerCsvUploads } from '@app/customer-io';
import { UnsubscribePages } from '@app/greetings';
import { MetricsService } from '@app/health';
import { registerRequestLogging } from '@app/logging';
import { SurveyPages } from '@app/surveys';
import { registerWecomCallbackBody } from '@app/wecom';

import { registerRequestLimits } from './request-limits';

export interface RouteInfo {
  method: string;
  url: string;
}

// Everything the API adds to its HTTP server beside Nest's controllers, in one place and in the
// order the hooks run: request logging (so everything after runs in the request's log context),
// the per-IP limits, metrics, the route catalogue, security headers and request id, the CSV upload
// parsers, then the client pages (/s/:token, /u/:token). No library registers hooks of its own.
export async function registerHttp(app: NestFastifyApplication, routes: RouteInfo[]): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const config = app.get(AppConfig);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  registerRequestLogging(fastify, app.get(PARAMS_PROVIDER_TOKEN));
  await registerRequestLimits(app);
  app.get(MetricsService).observe(fastify);
  await registerSecurityHeaders(fastify);
  await registerCsvUploads(fastify, config.http.IMPORT_MAX_MB * 1024 * 1024);
  if (!fastify.hasContentTypeParser('text/xml')) registerWecomCallbackBody(fastify);
  for (const pages of [app.get(SurveyPages), app.get(UnsubscribePages)]) registerPublicPages(fastify, pages);
}

// Inline scripts only where a third-party UI needs them (Swagger UI at /docs, the queue board);
// the console, the API and the client pages get a policy without them. Inline styles stay:
// Ant Design writes its styles at run time.
const WECOM_SCRIPT_ORIGINS = ['https://res.wx.qq.com', 'https://open.work.weixin.qq.com'];

async function registerSecurityHeaders(fastify: FastifyInstance): Promise<void> {
  const directives = { defaultSrc: [`'self'`], styleSrc: [`'self'`, `'unsafe-inline'`], imgSrc: [`'self'`, 'data:'] };
  const strictHeaders = Object.entries(
    await helmetHeaders({ contentSecurityPolicy: { directives: { ...directives, scriptSrc: [`'self'`] } } }),
  );
  const laxHeaders = Object.entries(
    await helmetHeaders({
      contentSecurityPolicy: { directives: { ...directives, scriptSrc: [`'self'`, `'unsafe-inline'`] } },
    }),
  );
  // WeCom's chat toolbar page loads WeCom's JS-SDK from WeCom's servers.
  const wecomHeaders = Object.entries(
    await helmetHeaders({
      contentSecurityPolicy: { directives: { ...directives, scriptSrc: [`'self'`, ...WECOM_SCRIPT_ORIGINS] } },
    }),
  );
  const needsInlineScripts = /^\/(docs|admin\/queues)(\/|$|\?)/;
  const wecomPage = /^\/wecom\/sidebar(\/|$|\?)/;
  fastify.addHook('onRequest', (request, reply, done) => {
    // On the raw response, as @fastify/helmet sets them, so routes that write it directly get them.
    const headers = needsInlineScripts.test(request.url)
      ? laxHeaders
      : wecomPage.test(request.url)
        ? wecomHeaders
        : strictHeaders;
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    void reply.header('x-request-id', request.id);
    done();
  });
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
