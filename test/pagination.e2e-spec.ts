import { randomUUID } from 'node:crypto';

import { Clock } from '@app/common';

import { createProduct, customerBody, Team, twoTeams } from './support/factories';
import { bootApp, TestApp } from './support/test-app';

// Keyset pagination walks a list by the last row's (time, id). The cursor carries the time as the
// API writes it (milliseconds), so rows whose times differ only below a millisecond, as rows written
// by one statement or one transaction do, must still come back exactly once each, in order.
describe('keyset pagination over rows that share a millisecond', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let product: { id: string };

  beforeAll(async () => {
    t = await bootApp();
    // The dates below are this file's "recently": the app's clock is set to match, whatever the date.
    t.app.get(Clock).travelTo(new Date('2026-12-01T12:00:00+08:00'));
    ({ admin, ours } = await twoTeams(t));
    product = await createProduct(t, admin);
  });
  afterAll(async () => {
    await t.close();
  });

  // Every page of a list, one row a page: the ids in the order served.
  async function walk(path: string, token = ours.butler.token): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const res: {
        status: number;
        body: { items: { id?: string; customerId?: string }[]; nextCursor: string | null };
      } = await t.as(token).get(`${path}${path.includes('?') ? '&' : '?'}limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      ids.push(...res.body.items.map((x) => x.id ?? x.customerId!));
      cursor = res.body.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error(`${path}: more than 50 pages`);
  }

  // Gives each row a time within the same millisecond, 1 µs apart.
  async function sameMillisecond(table: string, column: string, ids: string[]): Promise<void> {
    for (const [i, id] of ids.entries()) {
      await t.db.query(
        `UPDATE ${table} SET ${column} = '2026-10-01T02:00:00.123400Z'::timestamptz + make_interval(secs => $2 / 1e6)
          WHERE id = $1`,
        [id, i + 1],
      );
    }
  }

  const newClient = async (overrides: Record<string, unknown> = {}) =>
    (await t.as(ours.butler.token).post('/api/v1/customers', customerBody(overrides))).body as { id: string };

  it('the timeline, purchases, follow-ups and cases', async () => {
    const client = await newClient();
    const purchases: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.as(ours.butler.token).post(`/api/v1/customers/${client.id}/purchases`, {
        orderRef: `POS-${randomUUID()}`,
        channel: 'store',
        purchasedAt: '2026-10-01T10:00:00+08:00',
        items: [{ productId: product.id, quantity: 1, unitPriceFen: 10000 }],
      });
      expect(res.status).toBe(201);
      purchases.push(res.body.id);
    }
    await sameMillisecond('purchases', 'purchased_at', purchases);
    const followUps: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
        customerId: client.id,
        butlerId: ours.butler.id,
        dueAt: '2026-12-01T10:00:00+08:00',
        title: `回访 ${i}`,
      });
      expect(res.status).toBe(201);
      followUps.push(res.body.id);
    }
    await sameMillisecond('follow_ups', 'due_at', followUps);
    await sameMillisecond('follow_ups', 'created_at', followUps);
    const cases: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.as(ours.butler.token).post('/api/v1/cases', {
        customerId: client.id,
        type: 'quality',
        priority: 'normal',
        channel: 'phone',
        summary: `封口渗漏 ${i}`,
      });
      expect(res.status).toBe(201);
      cases.push(res.body.id);
    }
    await sameMillisecond('cases', 'opened_at', cases);

    const sorted = (ids: string[]) => [...ids].sort();
    expect(sorted(await walk(`/api/v1/customers/${client.id}/purchases`))).toEqual(sorted(purchases));
    expect(sorted(await walk(`/api/v1/follow-ups?customerId=${client.id}`))).toEqual(sorted(followUps));
    expect(sorted(await walk(`/api/v1/cases?customerId=${client.id}`))).toEqual(sorted(cases));
    const timeline = await walk(`/api/v1/customers/${client.id}/timeline`);
    expect(new Set(timeline).size).toBe(timeline.length);
    for (const id of [...purchases, ...followUps, ...cases]) expect(timeline).toContain(id);
  });

  it('clients by last purchase', async () => {
    const tag = `分页${randomUUID().slice(0, 8)}`;
    const clients = [
      await newClient({ tags: [tag] }),
      await newClient({ tags: [tag] }),
      await newClient({ tags: [tag] }),
    ].map((c) => c.id);
    await sameMillisecond('customers', 'last_purchase_at', clients);
    const ids = await walk(`/api/v1/customers?tag=${encodeURIComponent(tag)}&sort=lastPurchase`);
    expect([...ids].sort()).toEqual([...clients].sort());
  });
});
