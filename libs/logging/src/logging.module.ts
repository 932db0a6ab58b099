import { Module } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { LoggerModule, Params } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import pino, { LoggerOptions, Logger as PinoInstance } from 'pino';

import { decodePercent, maskPersonalData } from '@app/common';
import { AppConfig } from '@app/config';

// Survey and unsubscribe links carry bearer tokens in their path, the queue board a JWT in its
// query: never log them. Decoded first ("/%73/…", "?%74oken=…" are the same URLs to the server),
// and any JWT-shaped value is hidden wherever it sits.
const JWT = /eyJ[\w-]{4,}\.[\w-]+\.[\w-]*/g;
export function redactUrl(url: string): string {
  const decoded = decodePercent(url.replace(/\+/g, ' '));
  return maskPersonalData(
    decoded
      .replace(/^\/+(s|u)\/+[^/?#]+/i, '/$1/[token]')
      .replace(/([?&;](?:token|access_token|jwt)=)[^&;#]*/gi, '$1[redacted]')
      .replace(JWT, '[jwt]'),
  );
}

// JSON logs through one pino instance. Every message goes through the personal-data mask
// (mobiles, emails), and a request is logged as method, masked URL and status, never headers.
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
    hooks: {
      logMethod(args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskPersonalData(a).replace(JWT, '[jwt]') : a)),
        );
      },
    },
  };
}

// The request's logger, made on first use: most requests log nothing, and binding a child
// logger to each one costs more than that.
function requestStore(root: PinoInstance, reqId: string): Store {
  let child: PinoInstance | undefined;
  return {
    get logger(): PinoInstance {
      return (child ??= root.child({ reqId }));
    },
    set logger(value: PinoInstance) {
      child = value;
    },
  };
}

// Request logging as Fastify hooks rather than pino-http in a Nest middleware (the middleware
// layer, a child logger per request and its serialised, masked bindings cost about a tenth of a
// cached read's CPU): what Nest code logs during a request carries its `reqId` (the id
// create-api.ts picks), and each finished request is one line, as pino-http wrote it. /health
// is not logged.
export function logRequests(fastify: FastifyInstance, root: PinoInstance): void {
  const stores = new WeakMap<object, Store>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    const store = requestStore(root, request.id);
    stores.set(request, store);
    storage.run(store, done);
  });
  // A body is read in the socket's own async context; the handler gets the request's back.
  fastify.addHook('preHandler', (request, _reply, done) => {
    const store = stores.get(request);
    if (store) storage.run(store, done);
    else done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (root.isLevelEnabled('info') && request.url !== '/health') {
      const line = {
        reqId: request.id,
        req: { id: request.id, method: request.method, url: request.url },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime),
      };
      if (reply.statusCode >= 500)
        root.info({ ...line, err: new Error(`failed with status code ${reply.statusCode}`) }, 'request errored');
      else root.info(line, 'request completed');
    }
    done();
  });
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig): Params => ({
        pinoHttp: { logger: pino(loggerOptions(config.http.LOG_LEVEL)) },
        // No pino-http middleware: registerRequestLogging logs requests with Fastify hooks.
        useExisting: true,
        forRoutes: [],
      }),
    }),
  ],
})
export class LoggingModule {}

// The request log's hooks on the API's server (apps/api/src/http.ts registers them with the
// others): the root logger is the one LoggingModule configured.
export function registerRequestLogging(fastify: FastifyInstance, params: Params): void {
  const given = params.pinoHttp;
  if (given && !Array.isArray(given) && 'logger' in given && given.logger)
    logRequests(fastify, given.logger as PinoInstance);
}
