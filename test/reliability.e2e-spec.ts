import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../libs/config/src/app-config';
import { prepareDatabase } from '../libs/database/src/prepare-database';
import { AllExceptionsFilter } from '@app/common';
import { createProduct, customerBody, Team, twoTeams } from './support/factories';
import { PrivatePostgres } from './support/private-postgres';
import { bootApp, eventually, HttpResult, TestApp } from './support/test-app';

// Found by a fault-injection run: a purchase read the settings inside its transaction on a
// second pool connection; 60 purchases at a pool of 20 left every connection waiting for another,
// and 43 requests answered 500 after the 10 s pool timeout.
describe('writes with a pool of 2 and 20 requests at once', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let productId: string;
  const POOL_TIMEOUT_MS = 10_000;

  beforeAll(async () => {
    t = await bootApp({ env: { DATABASE_POOL_SIZE: '2' } });
    ({ admin, ours } = await twoTeams(t));
    productId = (await createProduct(t, admin)).id;
  });
  afterAll(async () => {
    await t.close();
  });

  // Each request timed on its own: none may have waited for the pool's timeout.
  const burst = async (requests: (() => Promise<HttpResult>)[]): Promise<{ statuses: number[]; slowest: number }> => {
    // The settings cache (5 s) expired first, so the writes read them (the path that took a second connection).
    await new Promise((r) => setTimeout(r, 5_500));
    const timed = await Promise.all(
      requests.map(async (send) => {
        const started = Date.now();
        const res = await send();
        return { status: res.status, ms: Date.now() - started };
      }),
    );
    return { statuses: timed.map((r) => r.status), slowest: Math.max(...timed.map((r) => r.ms)) };
  };
  const clients = async (n: number) => Promise.all(Array.from({ length: n }, async () => (await t.as(ours.butler.token).post('/api/v1/customers', customerBody())).body.id as string));

  it('records purchases (their follow-ups read the settings) without waiting on the pool', async () => {
    const ids = await clients(20);
    const { statuses, slowest } = await burst(
      ids.map((id) => () =>
        t.as(ours.butler.token).post(`/api/v1/customers/${id}/purchases`, {
          orderRef: `POOL-${randomUUID()}`, channel: 'store', purchasedAt: new Date(Date.now() - 60_000).toISOString(), items: [{ productId, quantity: 1, unitPriceFen: 100 }],
        }),
      ),
    );
    expect(statuses).toEqual(Array(20).fill(201));
    expect(slowest).toBeLessThan(POOL_TIMEOUT_MS);
  });

  it('creates clients, cases and follow-ups, and completes follow-ups (surveys read the settings), without waiting on the pool', async () => {
    const ids = await clients(20);
    const created = await burst([
      ...ids.slice(0, 7).map((id) => () => t.as(ours.butler.token).post('/api/v1/cases', { customerId: id, type: 'inquiry', channel: 'phone', summary: '咨询' })),
      ...ids.slice(7, 14).map((id) => () => t.as(ours.manager.token).post('/api/v1/follow-ups', { customerId: id, butlerId: ours.butler.id, dueAt: new Date(Date.now() + 86_400_000).toISOString() })),
      ...Array.from({ length: 6 }, () => () => t.as(ours.butler.token).post('/api/v1/customers', customerBody())),
    ]);
    expect(created.statuses).toEqual(Array(20).fill(201));
    expect(created.slowest).toBeLessThan(POOL_TIMEOUT_MS);

    const tasks = await Promise.all(
      ids.slice(0, 20).map(async (id) => (await t.as(ours.manager.token).post('/api/v1/follow-ups', { customerId: id, butlerId: ours.butler.id, dueAt: new Date().toISOString() })).body.id as string),
    );
    const done = await burst(tasks.map((id) => () => t.as(ours.butler.token).post(`/api/v1/follow-ups/${id}/complete`, { outcome: 'reached', channel: 'phone', note: '很满意' })));
    expect(done.statuses).toEqual(Array(20).fill(200));
    expect(done.slowest).toBeLessThan(POOL_TIMEOUT_MS);
  });
});

// Found by a fault-injection run: with PostgreSQL down every route answered 500 (632 error lines
// in a 62 s outage). On a PostgreSQL cluster of this test's own, stopped and started again.
describe('PostgreSQL stopped and started again', () => {
  let pg: PrivatePostgres;
  let t: TestApp;

  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    const url = pg.url('butler_outage');
    await prepareDatabase(loadConfig({ ...process.env, DATABASE_URL: url }).database);
    t = await bootApp({ env: { DATABASE_URL: url, DATABASE_POOL_SIZE: '4' } });
  }, 60_000);
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await pg?.drop();
  });

  it('answers 503 with Retry-After while it is away, and works again by itself when it is back', async () => {
    const admin = await t.adminToken();
    expect((await t.as(admin).get('/api/v1/customers')).status).toBe(200);
    await pg.stop();
    for (const url of ['/api/v1/customers', '/api/v1/products', '/api/v1/follow-ups']) {
      const res = await t.as(admin).get(url);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toEqual({ statusCode: 503, error: 'Service Unavailable', code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable, try again shortly' });
    }
    expect((await t.as(admin).post('/api/v1/users', { email: `m-${randomUUID().slice(0, 8)}@test.local`, name: '停机经理', role: 'manager', password: 'password-123' })).status).toBe(503);
    const health = await t.anonymous.get('/health');
    expect(health.status).toBe(503);
    expect((await t.anonymous.get('/health/ready')).status).toBe(503);
    expect((await t.anonymous.get('/health/live')).status).toBe(200);
    await pg.start();
    const back = await eventually(async () => (await t.as(admin).get('/api/v1/customers')).status, (s) => s === 200, 30_000);
    expect(back).toBe(200);
    expect((await t.as(admin).post('/api/v1/users', { email: `m-${randomUUID().slice(0, 8)}@test.local`, name: '复机经理', role: 'manager', password: 'password-123' })).status).toBe(201);
  }, 90_000);
});

describe('the error filter during an outage', () => {
  it('logs an outage once, not once per request', () => {
    const filter = new AllExceptionsFilter();
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const reply = { status: () => reply, header: () => reply, send: () => reply };
    const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({}) }) } as never;
    try {
      for (let i = 0; i < 50; i++) filter.catch(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), host);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(String(errors.mock.calls[0][0])).toMatch(/^Database unavailable, answering 503: connect ECONNREFUSED/);
    } finally {
      errors.mockRestore();
    }
  });
});
