import { listRoutes } from '../apps/api/src/create-api';
import { isPublic } from './support/access-matrix';
import { bootApp, request, TestApp } from './support/test-app';

// The routes that answer without a token on purpose are listed once, in support/access-matrix.ts
// (PUBLIC): anything else must say 401 to a stranger.
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
    expect(routes).toEqual(
      expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/me', 'POST /api/v1/users', 'GET /admin/queues']),
    );
  });

  it('answers 401 on every non-public route when called without a token', async () => {
    const leaks: string[] = [];
    for (const { method, url } of listRoutes(t.app)) {
      if (method === 'OPTIONS' || isPublic({ method, url })) continue;
      const concrete = url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000').replace(/\*/g, 'x');
      const res = await request(t.app, method, concrete, {
        body: ['GET', 'HEAD', 'DELETE'].includes(method) ? undefined : {},
      });
      if (res.status !== 401) leaks.push(`${method} ${url} -> ${res.status}`);
    }
    expect(leaks).toEqual([]);
  });
});
