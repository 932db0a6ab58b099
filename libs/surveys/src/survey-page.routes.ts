import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { DATABASE_RETRY_AFTER_S, DatabaseOutageLog, isDatabaseUnavailable, UNAVAILABLE_PAGE } from '@app/common';
import { AppConfig } from '@app/config';

import type { RawForm } from './survey-form';
import { SURVEY_PAGES } from './survey-page';
import { SurveyPageResult, SurveyResponsesService } from './survey-responses.service';

type PageRequest = FastifyRequest<{ Params: { token: string }; Body: unknown }>;

// The client's survey page, GET and POST /s/:token: public, HTML, no JavaScript.
//
// Registered as plain Fastify routes rather than a Nest controller: it is the one route clients
// hit in bursts (every invited client, within hours of a campaign), it needs none of the API's
// machinery (no token, roles, DTOs or JSON errors), and Nest's per-request pipeline plus its
// throttler guard (which hashes a key per request) cost about a tenth of the API's CPU per answer.
// The request hooks (request id, logging, security headers) apply as to every route.
//
// Rate-limited per IP (SURVEY_RATE_LIMIT a minute, GET and POST together) by @fastify/rate-limit,
// counted in Redis across API processes (apps/api/src/request-limits.ts registers it): with 256-bit
// tokens guessing is hopeless anyway, but a flood should not reach the database.
@Injectable()
export class SurveyPageRoutes implements OnModuleInit {
  private readonly logger = new Logger('SurveyPage');
  private readonly outage = new DatabaseOutageLog(this.logger);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly surveys: SurveyResponsesService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    void fastify.register(async (pages) => {
      pages.addHook(
        'onRequest',
        // request.ip honours X-Forwarded-For only from TRUST_PROXY's proxies, as the login limit does.
        pages.rateLimit({
          max: this.config.auth.SURVEY_RATE_LIMIT,
          timeWindow: 60_000,
          keyGenerator: (request) => `survey:${request.ip}`,
        }),
      );
      pages.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
        // Clients see a Chinese page, not JSON: the database away (503, try again shortly), too
        // many requests, a body that cannot be read, or (never expected) a failure of ours.
        if (isDatabaseUnavailable(error)) {
          this.outage.note(error);
          return page(reply.header('retry-after', String(DATABASE_RETRY_AFTER_S)), {
            status: 503,
            html: UNAVAILABLE_PAGE,
          });
        }
        const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status === 500) this.logger.error(error);
        return page(reply, {
          status,
          html:
            status === 429
              ? SURVEY_PAGES.tooMany()
              : status === 500
                ? SURVEY_PAGES.failed()
                : SURVEY_PAGES.badRequest(),
        });
      });
      pages.get('/s/:token', async (request: PageRequest, reply) =>
        page(reply, await this.surveys.view(request.params.token)),
      );
      pages.post('/s/:token', async (request: PageRequest, reply) => {
        const { body } = request;
        const form: RawForm = body && typeof body === 'object' && !Array.isArray(body) ? (body as RawForm) : {};
        return page(reply, await this.surveys.submit(request.params.token, form));
      });
    });
  }
}

function page(reply: FastifyReply, result: SurveyPageResult): FastifyReply {
  return reply
    .status(result.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(result.html);
}
