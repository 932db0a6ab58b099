import formbody from '@fastify/formbody';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type {} from '@fastify/rate-limit';

import { DATABASE_RETRY_AFTER_S, DatabaseOutageLog, isDatabaseUnavailable, UNAVAILABLE_PAGE } from './database-outage';
import { originOf, type RequestOrigin } from './request-origin';

// A page a client opens from a message: its HTTP status and its HTML (Chinese, server-rendered,
// no JavaScript; see html-page.ts).
export interface PublicPage {
  status: number;
  html: string;
}

// The pages behind one emailed link (`/s/:token`, `/u/:token`): what GET shows and what the form's
// POST does, the per-IP limit, and the pages shown when something goes wrong. Each feature
// provides its own (SurveyPages, UnsubscribePages); apps/api registers them all in one place with
// registerPublicPages.
export interface PublicPages {
  // The route, with `:token` as its one parameter.
  readonly path: string;
  // GET and POST together, per IP a minute, counted in Redis across API processes.
  readonly perMinute: number;
  view(token: string): Promise<PublicPage>;
  // `origin`: where the form came from (the survey records it, as keyed hashes, for rating integrity).
  submit(token: string, form: Record<string, unknown>, origin: RequestOrigin): Promise<PublicPage>;
  readonly errorPages: {
    // A body that cannot be read, or any other 4xx the framework answers.
    badRequest: string;
    tooMany: string;
    // Never expected: a failure of ours.
    failed: string;
  };
}

type PageRequest = FastifyRequest<{ Params: { token: string }; Body: unknown }>;

// Plain Fastify routes rather than Nest controllers: these are the routes clients hit in bursts
// (every invited client, within hours of a campaign), and they need none of the API's machinery
// (no token, roles, DTOs or JSON errors); Nest's per-request pipeline cost about a tenth of the
// API's CPU per survey answer. The request hooks (request id, logging, security headers) apply as
// to every route. Needs @fastify/rate-limit registered first (request-limits.ts).
export function registerPublicPages(fastify: FastifyInstance, pages: PublicPages): void {
  const logger = new Logger(`PublicPage ${pages.path}`);
  const outage = new DatabaseOutageLog(logger);
  void fastify.register(async (scope) => {
    // The forms' bodies: registered here because this scope is created before Nest adds its parsers.
    await scope.register(formbody);
    scope.addHook(
      'onRequest',
      // request.ip honours X-Forwarded-For only from TRUST_PROXY's proxies, as the login limit does.
      scope.rateLimit({
        max: pages.perMinute,
        timeWindow: 60_000,
        keyGenerator: (request) => `${pages.path}:${request.ip}`,
      }),
    );
    scope.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
      // Clients see a Chinese page, never JSON: the database away (503, try again shortly), too
      // many requests, a body that cannot be read, or a failure of ours.
      if (isDatabaseUnavailable(error)) {
        outage.note(error);
        return send(reply.header('retry-after', String(DATABASE_RETRY_AFTER_S)), {
          status: 503,
          html: UNAVAILABLE_PAGE,
        });
      }
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) logger.error(error);
      const { badRequest, tooMany, failed } = pages.errorPages;
      return send(reply, { status, html: status === 429 ? tooMany : status === 500 ? failed : badRequest });
    });
    scope.get(pages.path, async (request: PageRequest, reply) => send(reply, await pages.view(request.params.token)));
    scope.post(pages.path, async (request: PageRequest, reply) => {
      const { body } = request;
      const form = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
      return send(reply, await pages.submit(request.params.token, form, originOf(request)));
    });
  });
}

function send(reply: FastifyReply, page: PublicPage): FastifyReply {
  return reply
    .status(page.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(page.html);
}
