import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';

import { Redis } from 'ioredis';
import { Client } from 'pg';

import { QUEUE_ADD_TIMEOUT_MS } from '@app/queue';

import { bootApp, eventually, request, TestApp } from './support/test-app';
import { realClockEnv, superuserUrl } from './support/test-env';

describe('operations: health, docs, headers, queue board', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await bootApp();
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports PostgreSQL and Redis up on /health without a token', async () => {
    const res = await t.anonymous.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('serves the OpenAPI document listing the routes at /docs', async () => {
    const ui = await t.anonymous.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const doc = await t.anonymous.get('/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/me',
        '/api/v1/users',
        '/api/v1/users/{id}',
        '/api/v1/admin/test-email',
        '/health',
      ]),
    );
    // DTO schemas come from the Swagger CLI plugin at build time; the login body is described.
    expect(doc.body.paths['/api/v1/auth/login'].post.requestBody).toBeDefined();
  });

  it('sends helmet security headers and no CORS headers by default', async () => {
    const res = await request(t.app, 'GET', '/health', { headers: { origin: 'https://evil.example' } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // No inline scripts for the console, the API and client pages; only Swagger UI needs them.
    for (const path of ['/', '/clients', '/api/v1/me', '/s/not-a-token']) {
      expect(String((await request(t.app, 'GET', path)).headers['content-security-policy'])).toContain(
        "script-src 'self';",
      );
    }
    expect(String((await request(t.app, 'GET', '/docs')).headers['content-security-policy'])).toContain(
      "script-src 'self' 'unsafe-inline'",
    );
  });

  it('tags every response with a request id, reusing the caller one', async () => {
    const res = await request(t.app, 'GET', '/health', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers['x-request-id']).toBe('trace-123');
    const fresh = await t.anonymous.get('/health');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('opens the queue board to admins only', async () => {
    const manager = await t.createUser(admin, { role: 'manager' });
    expect((await t.anonymous.get('/admin/queues')).status).toBe(401);
    expect((await t.as(manager.token).get('/admin/queues')).status).toBe(403);
    expect((await request(t.app, 'GET', `/admin/queues?token=${manager.token}`)).status).toBe(403);

    const page = await request(t.app, 'GET', `/admin/queues?token=${admin}`);
    expect(page.status).toBe(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect(cookie).toMatch(/^butler_board=/);
    // The page's own API calls carry only the cookie.
    const queues = await request(t.app, 'GET', '/admin/queues/api/queues', { headers: { cookie } });
    expect(queues.status).toBe(200);
    expect(JSON.stringify(queues.body)).toContain('mail');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.as(admin).get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.statusCode).toBe(404);
  });
});

describe('health when Redis is unreachable', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('stays ready (PostgreSQL answers) and alive while Redis is away, saying so', async () => {
    expect((await t.anonymous.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await t.anonymous.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up', reachable: false } });
  });

  it('answers 503 naming Redis as down, quickly', async () => {
    const started = Date.now();
    const res = await t.anonymous.get('/health');
    expect(res.status).toBe(503);
    expect(res.body.error.redis.status).toBe('down');
    expect(res.body.info.database.status).toBe('up');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('still records a test email and answers at once; the reconciler will queue it later', async () => {
    const admin = await t.adminToken();
    const started = Date.now();
    const res = await t.as(admin).post('/api/v1/admin/test-email', { to: 'ops@test.local' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'pending', queued: false });
    expect(Date.now() - started).toBeLessThan(3000);
    const rows = await t.db.query('SELECT status FROM messages WHERE id = $1', [res.body.id]);
    expect(rows[0].status).toBe('pending');
  });
});

// A Redis that hangs (accepts connections, never answers) rather than crashing: a private
// redis-server on a spare port, paused with SIGSTOP. Requests that queue after their commit wait at
// most QUEUE_ADD_TIMEOUT_MS, then leave the job to the reconcilers; nothing is lost.
describe('a frozen Redis', () => {
  let t: TestApp;
  let redis: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
      env: realClockEnv(),
    });
    const ping = async (): Promise<string> => {
      const client = new Redis({
        port,
        host: '127.0.0.1',
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      try {
        await client.connect();
        return await client.ping();
      } catch {
        return 'no';
      } finally {
        client.disconnect();
      }
    };
    await eventually(ping, (reply) => reply === 'PONG', 10_000);
    t = await bootApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    redis?.kill('SIGCONT');
    await t?.close();
    redis?.kill('SIGKILL');
  });

  it('answers a request that queues mail within seconds, and the message waits in PostgreSQL', async () => {
    const admin = await t.adminToken();
    redis.kill('SIGSTOP');
    const started = Date.now();
    const res = await t.as(admin).post('/api/v1/admin/test-email', { to: 'frozen@test.local' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'pending', queued: false });
    expect(Date.now() - started).toBeLessThan(QUEUE_ADD_TIMEOUT_MS + 1_500);
    expect((await t.db.query('SELECT status FROM messages WHERE id = $1', [res.body.id]))[0].status).toBe('pending');
    redis.kill('SIGCONT');
  });
});

// Found by a red team: production served /docs, the first admin could be created with the
// published development password, and the queue-board cookie went out without Secure.
describe('production defaults', () => {
  it('serves no /docs, and marks the queue-board cookie Secure behind HTTPS', async () => {
    const t = await bootApp({
      env: { NODE_ENV: 'production', DOCS_ENABLED: undefined, PUBLIC_BASE_URL: 'https://crm.example.com' },
    });
    try {
      expect((await t.anonymous.get('/docs')).status).toBe(404);
      expect((await t.anonymous.get('/docs/openapi.json')).status).toBe(404);
      const admin = await t.adminToken();
      const board = await request(t.app, 'GET', `/admin/queues?token=${admin}`);
      expect(board.status).toBe(200);
      expect(String(board.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      await t.close();
    }
  });

  it('refuses to create the first admin with the development password in production', async () => {
    const database = `butler_prod_${process.env.TEST_RUN_ID}`;
    const prepare = async () => {
      const { prepareDatabase } = await import('../libs/database/src/prepare-database');
      const { loadConfig } = await import('../libs/config/src/app-config');
      await prepareDatabase(loadConfig({ ...process.env, DATABASE_URL: superuserUrl(database) }).database);
    };
    try {
      await prepare();
      await expect(
        bootApp({ env: { NODE_ENV: 'production', DATABASE_URL: superuserUrl(database), ADMIN_PASSWORD: undefined } }),
      ).rejects.toThrow(
        'ADMIN_PASSWORD must be set (not the development password) to create the first admin when NODE_ENV=production',
      );
      const pg = new Client({ connectionString: superuserUrl(database) });
      await pg.connect();
      try {
        expect((await pg.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`)).rows[0].n).toBe(0);
      } finally {
        await pg.end();
      }
    } finally {
      const pg = new Client({ connectionString: superuserUrl() });
      await pg.connect();
      await pg.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await pg.end();
    }
  });
});

// For orchestrators: liveness (the process answers), readiness (PostgreSQL), and each worker
// process's heartbeat in Redis.
describe('liveness, readiness and worker heartbeats', () => {
  it('counts the worker processes that beat, and their last tick', async () => {
    const t = await bootApp({ withWorkers: true });
    try {
      expect((await t.anonymous.get('/health/live')).status).toBe(200);
      const ready = await eventually(
        async () => (await t.anonymous.get('/health/ready')).body,
        (body) => body?.info?.redis?.workers >= 1,
        15_000,
      );
      expect(ready.status).toBe('ok');
      expect(ready.info.database.status).toBe('up');
      expect(Date.now() - Date.parse(ready.info.redis.lastWorkerTick)).toBeLessThan(60_000);
    } finally {
      await t.close();
    }
  });
});

// Prometheus metrics for operators, not for the world.
describe('GET /metrics', () => {
  it(
    'answers loopback scrapers with request durations, the pool, ' +
      'queues, outbox, campaigns and surveys; others get 404',
    async () => {
      const t = await bootApp();
      try {
        expect((await t.anonymous.get('/api/v1/products')).status).toBe(401);
        const res = await request(t.app, 'GET', '/metrics', { remoteAddress: '127.0.0.1' });
        expect(res.status).toBe(200);
        for (const line of [
          /http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/api\/v1\/products",status="401"\}/,
          /db_pool_connections\{state="idle"\} \d+/,
          /queue_jobs\{queue="mail",state="waiting"\} \d+/,
          /survey_responses_recorded \d+/,
          /# TYPE outbox_messages gauge/,
          /# TYPE campaign_messages gauge/,
        ]) {
          expect(res.text).toMatch(line);
        }
        // Route patterns only: no raw URL (no token, no id) ever becomes a label.
        await t.anonymous.get('/s/some-secret-token-value');
        expect((await request(t.app, 'GET', '/metrics', { remoteAddress: '::1' })).text).not.toContain(
          'some-secret-token-value',
        );
        expect((await request(t.app, 'GET', '/metrics', { remoteAddress: '10.0.0.9' })).status).toBe(404);
      } finally {
        await t.close();
      }
    },
  );

  it('with METRICS_TOKEN, answers only a scraper that sends it, from anywhere', async () => {
    const t = await bootApp({ env: { METRICS_TOKEN: 'scrape-token-0123456789' } });
    try {
      expect((await request(t.app, 'GET', '/metrics', { remoteAddress: '127.0.0.1' })).status).toBe(401);
      expect(
        (
          await request(t.app, 'GET', '/metrics', {
            remoteAddress: '10.0.0.9',
            headers: { authorization: 'Bearer wrong-token-0123456789' },
          })
        ).status,
      ).toBe(401);
      const ok = await request(t.app, 'GET', '/metrics', {
        remoteAddress: '10.0.0.9',
        headers: { authorization: 'Bearer scrape-token-0123456789' },
      });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('db_pool_connections');
    } finally {
      await t.close();
    }
  });
});
