import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { ApiModule } from './api.module';

export const API_PREFIX = 'api/v1';

// The probes live at the root, at fixed paths (the client pages /s/ and /u/ too, but they are
// plain Fastify routes: apps/api/src/http.ts).
export const ROOT_ROUTES = [
  { path: 'health', method: RequestMethod.GET },
  { path: 'health/live', method: RequestMethod.GET },
  { path: 'health/ready', method: RequestMethod.GET },
  { path: 'metrics', method: RequestMethod.GET },
];

export function usePrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: ROOT_ROUTES });
}

// The OpenAPI document /docs/openapi.json serves, from the controllers' decorators and the
// response classes in each library's dto/ folder.
export function describeApi(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Butler CRM API')
      .setDescription('白酒管家客户关怀系统 HTTP API. Bearer JWT from POST /api/v1/auth/login unless marked public.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}

// The same document without a server: Nest's preview mode resolves the module graph without
// instantiating a provider, so nothing reads the configuration or connects to PostgreSQL or Redis.
// Used by `npm run api:types` and by the test that checks the committed console types.
export async function buildApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(ApiModule.forRoot({ withWorkers: false }), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    usePrefix(app);
    return describeApi(app);
  } finally {
    await app.close();
  }
}
