import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

import { AppConfig } from '@app/config';
import { LimitsRedis } from '@app/queue';

export const LOGIN_PATH = '/api/v1/auth/login';
export const SMS_CALLBACKS_PATH = '/api/v1/sms/';

// Per-IP request limits with @fastify/rate-limit and its Redis store: one count for every API
// process (not one per process). skipOnError: a Redis outage skips the limits rather than locking
// everyone out. The address is request.ip, which trusts X-Forwarded-For only from the proxies in
// TRUST_PROXY. Routes take a limiter with `fastify.rateLimit({ max, timeWindow, keyGenerator })`
// (the survey page does); the login route's is added here.
export async function registerRequestLimits(app: NestFastifyApplication): Promise<void> {
  const config = app.get(AppConfig);
  const limits = app.get(LimitsRedis);
  // Connect now (the store needs a live connection; while it is away, limits are skipped).
  limits.client.connect().catch(() => undefined);
  await app.register(rateLimit, {
    global: false,
    redis: limits.client,
    nameSpace: limits.namespace,
    skipOnError: true,
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
      'retry-after': true,
    },
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
      message: `Too many requests, try again in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });
  const fastify = app.getHttpAdapter().getInstance();
  const login = fastify.rateLimit({
    max: config.auth.LOGIN_RATE_LIMIT,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `login:${request.ip}`,
  });
  // The SMS provider's callbacks (public): per IP, generous, as Aliyun pushes in batches.
  const smsCallbacks = fastify.rateLimit({
    max: config.sms.SMS_CALLBACK_RATE_LIMIT,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `sms-callback:${request.ip}`,
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST') return;
    const path = request.url.split('?')[0];
    if (path === LOGIN_PATH) await login.call(fastify, request, reply);
    else if (path.startsWith(SMS_CALLBACKS_PATH)) await smsCallbacks.call(fastify, request, reply);
  });
}
