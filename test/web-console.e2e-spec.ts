import { listRoutes } from '../apps/api/src/create-api';
import { bootApp, request, TestApp } from './support/test-app';

// The console is served by the API process at /: files with the right caching, index.html for
// its client-side routes, and nothing of the API's shadowed.
describe('web console served at /', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers / and deep links with the single-page app, never cached', async () => {
    for (const path of ['/', '/clients/123', '/manager/scorecard?from=2026-01-01']) {
      const res = await request(t.app, 'GET', path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('<div id="root"></div>');
    }
  });

  it('serves hashed assets with a year of cache, and keeps the build manifest private', async () => {
    const html = (await request(t.app, 'GET', '/')).text;
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const res = await request(t.app, 'GET', script);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request(t.app, 'GET', '/.vite/manifest.json')).text).not.toContain('isEntry');
    expect(listRoutes(t.app).some((r) => r.url.includes('.vite'))).toBe(false);
  });

  it('leaves the API, the docs and the client pages alone', async () => {
    const api = await request(t.app, 'GET', '/api/v1/no-such-route');
    expect(api.status).toBe(404);
    expect(api.headers['content-type']).toContain('application/json');
    expect((await request(t.app, 'GET', '/api/v1/me')).status).toBe(401);
    expect((await request(t.app, 'GET', '/health')).headers['content-type']).toContain('application/json');
    expect((await request(t.app, 'GET', '/s/not-a-token')).text).toContain('链接无效');
    expect((await request(t.app, 'GET', '/u/not-a-token')).status).toBe(404);
  });
});
