import { listRoutes } from '../apps/api/src/create-api';
import { bootApp, request, TestApp } from './support/test-app';

// Routes that answer without a token, on purpose. Anything else must say 401 to a stranger.
const PUBLIC = [
  /^POST \/api\/v1\/auth\/login$/,
  /^(GET|HEAD) \/health$/,
  /^(GET|HEAD) \/docs/,
  // Unsubscribe pages: the HMAC token in the link is the credential.
  /^(GET|HEAD|POST) \/u\/:token$/,
  // Survey pages: the random token in the emailed link is the credential.
  /^(GET|HEAD|POST) \/s\/:token$/,
  // The web console's files and its client-side routes (it signs in through the API).
  /^(GET|HEAD) \/(\*|assets\/[\w.-]+|index\.html)?$/,
];

describe('every route is guarded unless it opts out', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds the routes the app registered', () => {
    const routes = listRoutes(t.app).map((r) => `${r.method} ${r.url}`);
    expect(routes).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/me', 'POST /api/v1/users', 'GET /admin/queues']));
  });

  it('answers 401 on every non-public route when called without a token', async () => {
    const leaks: string[] = [];
    for (const { method, url } of listRoutes(t.app)) {
      if (method === 'OPTIONS' || PUBLIC.some((p) => p.test(`${method} ${url}`))) continue;
      const concrete = url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000').replace(/\*/g, 'x');
      const res = await request(t.app, method, concrete, { body: ['GET', 'HEAD', 'DELETE'].includes(method) ? undefined : {} });
      if (res.status !== 401) leaks.push(`${method} ${url} -> ${res.status}`);
    }
    expect(leaks).toEqual([]);
  });
});
