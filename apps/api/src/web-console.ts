import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

// Where `npm run build:web` puts the console (dist/web), from the sources and from dist/ alike.
export const WEB_ROOT = [
  join(__dirname, '..', '..', '..', 'dist', 'web'),
  join(__dirname, '..', '..', '..', 'web'),
].find((dir) => existsSync(join(dir, 'index.html')));

// Paths the console never owns: anything else that is not a file is one of its routes.
const NOT_CONSOLE = /^\/(api|docs|admin\/queues|health|s|u)(\/|$)/;

// Serves the built console at / from the API process: hashed assets with a year of cache, and
// index.html (never cached) for every other GET that is not the API's, so deep links and reloads
// land in the single-page app.
export async function serveConsole(app: NestFastifyApplication): Promise<boolean> {
  if (!WEB_ROOT) {
    new Logger('Console').warn(
      'The web console is not built (dist/web): run `npm run build:web`; the API works without it',
    );
    return false;
  }
  const index = readFileSync(join(WEB_ROOT, 'index.html'));
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(fastifyStatic, {
    root: WEB_ROOT,
    prefix: '/',
    wildcard: false,
    index: false,
    allowedPath: (path) => !path.startsWith('/.vite'),
    cacheControl: false,
    setHeaders: (reply, path) => {
      void reply.header(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  fastify.get('/*', (request, reply) => {
    const path = request.url.split('?')[0];
    if (NOT_CONSOLE.test(path)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
  });
  fastify.get('/', (_request, reply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index),
  );
  return true;
}
