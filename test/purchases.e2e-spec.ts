import { randomUUID } from 'node:crypto';

import { Clock } from '@app/common';

import { createProduct, customerBody, Team, twoTeams } from './support/factories';
import { bootApp, TestApp } from './support/test-app';

describe('catalog, purchases and the timeline', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let moutai: { id: string; name: string };
  let fenjiu: { id: string; name: string };

  const newClient = async (token = ours.butler.token) =>
    (await t.as(token).post('/api/v1/customers', customerBody())).body as { id: string };
  const order = (
    items: { productId: string; quantity: number; unitPriceFen: number }[],
    overrides: Record<string, unknown> = {},
  ) => ({
    orderRef: `POS-${randomUUID()}`,
    channel: 'store',
    purchasedAt: '2026-11-01T10:00:00+08:00',
    items,
    ...overrides,
  });
  const purchaseCount = async (customerId: string) =>
    Number((await t.db.query('SELECT count(*) AS n FROM purchases WHERE customer_id = $1', [customerId]))[0].n);

  beforeAll(async () => {
    t = await bootApp();
    // The dates below are this file's "recently": the app's clock is set to match, whatever the date.
    t.app.get(Clock).travelTo(new Date('2026-12-01T12:00:00+08:00'));
    ({ admin, ours } = await twoTeams(t));
    moutai = await createProduct(t, admin, { name: '贵州茅台酒 飞天 53% 500ml', brand: '贵州茅台', priceFen: 249900 });
    fenjiu = await createProduct(t, admin, {
      name: '青花汾20 53% 500ml',
      brand: '山西汾酒',
      aroma: 'qing',
      priceFen: 49900,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('catalog', () => {
    it('is readable by butlers and editable by managers and admins only', async () => {
      const list = await t.as(ours.butler.token).get('/api/v1/products?aroma=qing');
      expect(list.status).toBe(200);
      expect(list.body.items.map((p: { id: string }) => p.id)).toContain(fenjiu.id);
      expect(list.body.items[0]).toHaveProperty('aromaName', '清香');
      const byButler = await t.as(ours.butler.token).post('/api/v1/products', {
        sku: 'X1',
        name: 'x',
        brand: 'x',
        aroma: 'jiang',
        abv: 53,
        volumeMl: 500,
        priceFen: 1,
      });
      expect(byButler.status).toBe(403);
      const deactivate = await t.as(ours.manager.token).patch(`/api/v1/products/${fenjiu.id}`, { active: false });
      expect(deactivate.status).toBe(200);
      expect(deactivate.body.active).toBe(false);
      await t.as(ours.manager.token).patch(`/api/v1/products/${fenjiu.id}`, { active: true });
    });

    it('validates products and keeps SKUs unique', async () => {
      const bad = await t.as(admin).post('/api/v1/products', {
        sku: 'bad sku!',
        name: '',
        brand: 'x',
        aroma: 'whisky',
        abv: 0,
        volumeMl: -1,
        priceFen: 12.5,
      });
      expect(bad.status).toBe(400);
      const text = bad.body.message.join(' ');
      for (const field of ['sku', 'name', 'aroma', 'abv', 'volumeMl', 'priceFen']) expect(text).toContain(field);
      const sku = `DUP-${randomUUID().slice(0, 6)}`;
      const body = { sku, name: '西凤酒 15年', brand: '西凤', aroma: 'feng', abv: 52, volumeMl: 500, priceFen: 45900 };
      expect((await t.as(admin).post('/api/v1/products', body)).status).toBe(201);
      const again = await t.as(admin).post('/api/v1/products', { ...body, sku: sku.toLowerCase() });
      expect(again.status).toBe(409);
    });
  });

  describe('purchases', () => {
    it('computes the total on the server and keeps the client statistics', async () => {
      const client = await newClient();
      const res = await t.as(ours.butler.token).post(
        `/api/v1/customers/${client.id}/purchases`,
        order([
          { productId: moutai.id, quantity: 2, unitPriceFen: 249900 },
          { productId: fenjiu.id, quantity: 3, unitPriceFen: 49900 },
        ]),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ totalFen: 2 * 249900 + 3 * 49900, butlerId: ours.butler.id, channel: 'store' });
      expect(res.body.items.map((i: { productName: string }) => i.productName)).toEqual(
        expect.arrayContaining([moutai.name, fenjiu.name]),
      );
      await t.as(ours.butler.token).post(
        `/api/v1/customers/${client.id}/purchases`,
        order([{ productId: fenjiu.id, quantity: 1, unitPriceFen: 49900 }], {
          purchasedAt: '2026-06-01T12:00:00+08:00',
        }),
      );
      const customer = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`);
      expect(customer.body).toMatchObject({
        purchaseCount: 2,
        totalSpentFen: 2 * 249900 + 4 * 49900,
        firstPurchaseAt: '2026-06-01T04:00:00.000Z',
        lastPurchaseAt: '2026-11-01T02:00:00.000Z',
      });
    });

    it('returns the same purchase with 200 when the orderRef is posted again, and never duplicates', async () => {
      const client = await newClient();
      const body = order([{ productId: moutai.id, quantity: 1, unitPriceFen: 249900 }]);
      const first = await t.as(ours.butler.token).post(`/api/v1/customers/${client.id}/purchases`, body);
      const second = await t.as(ours.butler.token).post(`/api/v1/customers/${client.id}/purchases`, body);
      expect(first.status).toBe(201);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      // Five at once: one purchase, five identical answers.
      const racing = order([{ productId: fenjiu.id, quantity: 1, unitPriceFen: 49900 }]);
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          t.as(ours.butler.token).post(`/api/v1/customers/${client.id}/purchases`, racing),
        ),
      );
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(await purchaseCount(client.id)).toBe(2);
      expect((await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`)).body.purchaseCount).toBe(2);
      // The same order number on another client is a conflict, not a silent reuse.
      const other = await newClient();
      const clash = await t.as(ours.butler.token).post(`/api/v1/customers/${other.id}/purchases`, body);
      expect(clash.status).toBe(409);
      expect(clash.body.message).toBe('orderRef is already used by another order');
      expect(await purchaseCount(other.id)).toBe(0);
      // An order of several lines answers the same body, lines in the same order, every time.
      const several = order([
        { productId: fenjiu.id, quantity: 2, unitPriceFen: 49900 },
        { productId: moutai.id, quantity: 1, unitPriceFen: 249900 },
      ]);
      const created = await t.as(ours.butler.token).post(`/api/v1/customers/${client.id}/purchases`, several);
      for (let i = 0; i < 3; i++)
        expect((await t.as(ours.butler.token).post(`/api/v1/customers/${client.id}/purchases`, several)).body).toEqual(
          created.body,
        );
    });

    it('rejects bad orders with 400 naming the field, recording nothing', async () => {
      const client = await newClient();
      const cases: [Record<string, unknown>, string][] = [
        [
          order([{ productId: randomUUID(), quantity: 1, unitPriceFen: 100 }]),
          'items.0.productId is not a known product',
        ],
        [order([{ productId: moutai.id, quantity: 0, unitPriceFen: 100 }]), 'items.0.quantity'],
        [order([{ productId: moutai.id, quantity: 1, unitPriceFen: 99.5 }]), 'items.0.unitPriceFen'],
        [order([]), 'items'],
        [
          order([{ productId: moutai.id, quantity: 1, unitPriceFen: 100 }], { purchasedAt: '2026-11-01 10:00' }),
          'purchasedAt',
        ],
        [
          order([{ productId: moutai.id, quantity: 1, unitPriceFen: 100 }], {
            purchasedAt: '2099-01-01T10:00:00+08:00',
          }),
          'purchasedAt must not be in the future',
        ],
        [
          order([{ productId: moutai.id, quantity: 1, unitPriceFen: 100 }], { channel: 'telepathy', totalFen: 1 }),
          'channel',
        ],
      ];
      for (const [body, message] of cases) {
        const res = await t.as(ours.butler.token).post(`/api/v1/customers/${client.id}/purchases`, body);
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body.message)).toContain(message);
      }
      expect(await purchaseCount(client.id)).toBe(0);
    });

    it('keeps the butler at purchase time after the client moves', async () => {
      const client = await newClient();
      const bought = await t
        .as(ours.butler.token)
        .post(
          `/api/v1/customers/${client.id}/purchases`,
          order([{ productId: moutai.id, quantity: 1, unitPriceFen: 249900 }]),
        );
      await t.as(ours.manager.token).post(`/api/v1/customers/${client.id}/assign`, { butlerId: ours.colleague.id });
      const list = await t.as(ours.colleague.token).get(`/api/v1/customers/${client.id}/purchases`);
      expect(list.body.items[0]).toMatchObject({ id: bought.body.id, butlerId: ours.butler.id });
      const later = await t.as(ours.colleague.token).post(
        `/api/v1/customers/${client.id}/purchases`,
        order([{ productId: fenjiu.id, quantity: 1, unitPriceFen: 49900 }], {
          purchasedAt: '2026-11-02T10:00:00+08:00',
        }),
      );
      expect(later.body.butlerId).toBe(ours.colleague.id);
    });

    it('lists purchases newest first, page by page', async () => {
      const client = await newClient();
      for (let d = 1; d <= 5; d++) {
        await t.as(ours.butler.token).post(
          `/api/v1/customers/${client.id}/purchases`,
          order([{ productId: fenjiu.id, quantity: d, unitPriceFen: 49900 }], {
            purchasedAt: `2026-10-0${d}T10:00:00+08:00`,
          }),
        );
      }
      const first = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}/purchases?limit=2`);
      const second = await t
        .as(ours.butler.token)
        .get(`/api/v1/customers/${client.id}/purchases?limit=2&cursor=${first.body.nextCursor}`);
      const third = await t
        .as(ours.butler.token)
        .get(`/api/v1/customers/${client.id}/purchases?limit=2&cursor=${second.body.nextCursor}`);
      const quantities = [...first.body.items, ...second.body.items, ...third.body.items].map(
        (p: { items: { quantity: number }[] }) => p.items[0].quantity,
      );
      expect(quantities).toEqual([5, 4, 3, 2, 1]);
      expect(third.body.nextCursor).toBeNull();
    });
  });

  describe('timeline', () => {
    it('merges purchases, assignments and messages, newest first', async () => {
      const client = await newClient();
      await t.as(ours.butler.token).post(
        `/api/v1/customers/${client.id}/purchases`,
        order([{ productId: moutai.id, quantity: 1, unitPriceFen: 249900 }], {
          purchasedAt: '2026-01-05T10:00:00+08:00',
        }),
      );
      await t.as(ours.butler.token).post(
        `/api/v1/customers/${client.id}/purchases`,
        order([{ productId: fenjiu.id, quantity: 2, unitPriceFen: 49900 }], {
          purchasedAt: '2026-03-05T10:00:00+08:00',
        }),
      );
      await t.db.query(
        `INSERT INTO messages (key, purpose, customer_id, to_address, subject, body_text, status, sent_at, created_at)
         VALUES ($1, 'greeting', $2, 'c@example.com', '中秋快乐', '…', 'sent',
          '2026-02-01T01:00:00Z', '2026-02-01T01:00:00Z')`,
        [`greeting:test:${client.id}`, client.id],
      );
      await t.as(ours.manager.token).post(`/api/v1/customers/${client.id}/assign`, { butlerId: ours.colleague.id });

      const page1 = await t.as(ours.colleague.token).get(`/api/v1/customers/${client.id}/timeline?limit=2`);
      expect(page1.status).toBe(200);
      expect(page1.body.items.map((e: { type: string }) => e.type)).toEqual(['assignment', 'purchase']);
      expect(page1.body.items[0].data).toMatchObject({ fromButlerId: ours.butler.id, toButlerId: ours.colleague.id });
      expect(page1.body.items[1].data.items[0]).toMatchObject({ name: fenjiu.name, quantity: 2 });
      const page2 = await t
        .as(ours.colleague.token)
        .get(`/api/v1/customers/${client.id}/timeline?limit=2&cursor=${page1.body.nextCursor}`);
      expect(page2.body.items.map((e: { type: string }) => e.type)).toEqual(['message', 'purchase']);
      expect(page2.body.items[0].data).toMatchObject({ purpose: 'greeting', subject: '中秋快乐', status: 'sent' });
      expect(page2.body.nextCursor).toBeNull();
    });
  });
});
