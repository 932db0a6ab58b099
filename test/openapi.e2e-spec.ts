import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { IsOptional, IsString } from 'class-validator';

import { buildApiDocument } from '../apps/api/src/openapi';
import {
  schemaMismatches,
  undescribedRequestBodies,
  undescribedResponses,
  unlistedValidatedProperties,
} from './support/openapi';
import { bootApp, TestApp } from './support/test-app';

// The console's API types are generated from the OpenAPI document (npm run api:types); these
// tests fail when a route's 2xx body or request body is not described, or when the committed document or types
// differ from what the sources describe.
describe('the OpenAPI document', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is what the running server serves at /docs/openapi.json', async () => {
    const served = await t.anonymous.get('/docs/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(await buildApiDocument())));
  });

  it('describes every 2xx response body with a schema that has properties', async () => {
    const document = await buildApiDocument();
    expect(undescribedResponses(document)).toEqual([]);
    // Sanity: the check sees the routes (a list answers { items, nextCursor }).
    const customers = document.paths['/api/v1/customers'].get?.responses['200'] as {
      content: Record<string, { schema: { $ref: string } }>;
    };
    expect(customers.content['application/json'].schema.$ref).toBe('#/components/schemas/CustomerPage');
    expect(document.components?.schemas?.CustomerPage).toMatchObject({
      required: ['items', 'nextCursor'],
      properties: { items: { type: 'array' }, nextCursor: { type: 'string', nullable: true } },
    });
  });

  it('finds an undescribed body', () => {
    const bare = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/x': {
          get: {
            responses: {
              '200': {
                description: '',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/X' } } },
              },
            },
          },
        },
        '/y': { post: { responses: { '201': { description: '' } } } },
      },
      components: { schemas: { X: { type: 'object', properties: { inner: { type: 'object' } } } } },
    };
    expect(undescribedResponses(bare)).toEqual(['X.inner: an object without properties', 'POST /y 201: no schema']);
  });

  it('describes every request body with a class whose validated properties all have a schema', async () => {
    const document = await buildApiDocument();
    expect(undescribedRequestBodies(document)).toEqual([]);
    expect(unlistedValidatedProperties(document)).toEqual([]);
    // Sanity: the check sees the bodies (a new client needs a name; null clears a mobile).
    const create = document.paths['/api/v1/customers'].post?.requestBody as {
      content: Record<string, { schema: { $ref: string } }>;
    };
    expect(create.content['application/json'].schema.$ref).toBe('#/components/schemas/CreateCustomerDto');
    expect(document.components?.schemas?.CreateCustomerDto).toMatchObject({
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 },
        mobile: { type: 'string', nullable: true },
        consent: { $ref: '#/components/schemas/ConsentDto' },
      },
    });
  });

  it('finds an undescribed request body', () => {
    const bare = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/x': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/X' } } } },
            responses: {},
          },
          put: {
            requestBody: { content: { 'application/json': { schema: { type: 'object', properties: {} } } } },
            responses: {},
          },
        },
        '/y': { post: { requestBody: { content: {} }, responses: {} } },
      },
      components: { schemas: { X: { type: 'object' } } },
    };
    expect(undescribedRequestBodies(bare)).toEqual([
      'X: an object without properties',
      'PUT /x body: an inline JSON schema',
      'POST /y body: no schema',
    ]);
  });

  it('finds a validated property the schema leaves out', () => {
    class LeftOutDto {
      @IsString()
      described!: string;

      @IsOptional()
      @IsString()
      forgotten?: string;
    }
    const document = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/x': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/LeftOutDto' } } } },
            responses: {},
          },
        },
      },
      components: { schemas: { LeftOutDto: { type: 'object', properties: { described: { type: 'string' } } } } },
    };
    expect(LeftOutDto.name).toBe('LeftOutDto');
    expect(unlistedValidatedProperties(document)).toEqual(['LeftOutDto.forgotten: validated but not described']);
  });

  it('tells a body from its schema (what test/openapi-bodies.e2e-spec.ts checks every route with)', () => {
    const document = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: {
        schemas: {
          X: {
            type: 'object',
            required: ['id', 'at', 'tier', 'note'],
            properties: {
              id: { type: 'string' },
              at: { type: 'string', format: 'date-time' },
              tier: { type: 'string', enum: ['gold', 'black'] },
              note: { type: 'string', nullable: true },
              tags: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    };
    const x = { $ref: '#/components/schemas/X' };
    expect(
      schemaMismatches(document, { id: 'a', at: '2026-11-22T02:00:00.000Z', tier: 'gold', note: null }, x),
    ).toEqual([]);
    expect(
      schemaMismatches(document, { id: 1, at: '22/11/2026', tier: 'silver', tags: [null], extra: true }, x),
    ).toEqual([
      '$.note: missing',
      '$.id: number, described as string',
      '$.at: "22/11/2026" is not a date-time',
      '$.tier: "silver" not in the enum',
      '$.tags[0]: null',
      '$.extra: not described',
    ]);
  });

  it(
    'matches the committed docs/openapi.json and console ' + 'types (after changing a response: npm run api:types)',
    async () => {
      // In a process of its own: openapi-typescript loads ES modules, which jest's CommonJS runtime cannot.
      const check = await promisify(execFile)(process.execPath, ['scripts/api-types.js', '--check'], {
        cwd: join(__dirname, '..'),
      }).catch((error: { stderr?: string }) => ({ stderr: error.stderr ?? String(error) }));
      expect(check.stderr).toBe('');
    },
  );
});
