import { DataSource } from 'typeorm';

import { AROMA_TYPES } from '@app/catalog';
import { DEMO_PRODUCTS, seedDemo } from '@app/demo';

import { bootApp, TestApp } from './support/test-app';

describe('npm run seed:demo', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await bootApp();
    db = t.db;
  });
  afterAll(async () => {
    await t.close();
  });

  const snapshot = async () => {
    const [row] = await db.query(
      `
      SELECT (SELECT count(*) FROM users WHERE email LIKE '%@demo.butler.local') AS staff,
             (SELECT count(*) FROM products WHERE sku = ANY($1)) AS products,
             (SELECT count(*) FROM customers WHERE mobile LIKE '1390000%') AS customers,
             (SELECT count(*) FROM taste_profiles tp JOIN customers c ON c.id = tp.customer_id
              WHERE c.mobile LIKE '1390000%') AS profiles,
             (SELECT count(*) FROM purchases WHERE order_ref LIKE 'DEMO-%') AS purchases,
             (SELECT count(*) FROM purchase_items i JOIN purchases p ON p.id = i.purchase_id
              WHERE p.order_ref LIKE 'DEMO-%') AS items,
             (SELECT max(updated_at) FROM customers WHERE mobile LIKE '1390000%') AS customers_touched,
             (SELECT count(DISTINCT aroma) FROM products WHERE sku = ANY($1)) AS aromas`,
      [DEMO_PRODUCTS.map((p) => p.sku)],
    );
    return row;
  };

  it(
    'loads the team, the catalog and 200 clients with tastes and purchases, ' + 'and a second run changes nothing',
    async () => {
      // Other test files (the manager's console) load it into the same database too: whoever runs
      // first inserts, the rest find it there.
      await seedDemo(db);
      const after = await snapshot();
      expect(Number(after.staff)).toBe(4);
      expect(Number(after.products)).toBeGreaterThanOrEqual(40);
      expect(Number(after.purchases)).toBeGreaterThan(300);
      expect(Number(after.aromas)).toBe(AROMA_TYPES.length);
      expect(Number(after.customers)).toBe(200);

      const second = await seedDemo(db);
      const [history] = await db.query(
        `SELECT (SELECT count(*)::int FROM survey_responses r JOIN users u ON u.id = r.butler_id
                WHERE u.email LIKE '%@demo.butler.local') AS responses,
              (SELECT count(*)::int FROM cases k JOIN users u ON u.id = k.butler_id
                WHERE u.email LIKE '%@demo.butler.local') AS cases`,
      );
      expect(history.responses).toBeGreaterThan(50);
      expect(history.cases).toBeGreaterThan(10);
      expect(second).toEqual({
        users: 0,
        products: 0,
        customers: 0,
        tasteProfiles: 0,
        purchases: 0,
        surveyResponses: 0,
        cases: 0,
      });
      expect(await snapshot()).toEqual(after);
    },
  );

  it('lets a demo butler sign in and see their clients sorted by pinyin', async () => {
    const token = await t.login('butler1@demo.butler.local', 'demo-butler-2026');
    const me = await t.as(token).get('/api/v1/me');
    expect(me.body.name).toBe('林静怡');
    const names: string[] = (
      await db.query(
        `SELECT c.name FROM customers c JOIN users u ON u.id = c.butler_id
          WHERE u.email = 'butler1@demo.butler.local' ORDER BY c.name LIMIT 5`,
      )
    ).map((r: { name: string }) => r.name);
    expect(names.length).toBe(5);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'zh-CN')));
  });

  it("lets 蔡德明's butler find him by cdm, caideming and the last four digits of his mobile", async () => {
    const [cai] = await db.query(
      `SELECT c.id, u.email FROM customers c JOIN users u ON u.id = c.butler_id
        WHERE c.mobile = '13900000040' AND c.deleted_at IS NULL`,
    );
    const token = await t.login(cai.email, 'demo-butler-2026');
    for (const q of ['cdm', 'caideming', '0040']) {
      const res = await t.as(token).get(`/api/v1/customers?q=${q}`);
      expect(res.status).toBe(200);
      expect({
        q,
        found: res.body.items.filter((c: { id: string }) => c.id === cai.id).map((c: { name: string }) => c.name),
      }).toEqual({ q, found: ['蔡德明'] });
    }
  });

  it('keeps each client last purchase date in step with the purchases', async () => {
    const [row] = await db.query(`
      SELECT count(*) AS wrong FROM customers c
      WHERE c.mobile LIKE '1390000%'
       AND c.last_purchase_at IS DISTINCT FROM (SELECT max(purchased_at) FROM purchases p WHERE p.customer_id = c.id)`);
    expect(Number(row.wrong)).toBe(0);
  });

  it('gives the demo manager a year of survey answers and cases to look at', async () => {
    await seedDemo(db);
    const token = await t.login('manager@demo.butler.local', 'demo-butler-2026');
    const from = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const report = await t.as(token).get(`/api/v1/reports/butlers?from=${from}`);
    expect(report.status).toBe(200);
    const items = report.body.items as { butlerName: string; responses: number; csatMean: number }[];
    expect(items).toHaveLength(3);
    expect(items.every((i) => i.responses > 10)).toBe(true);
    // The three demo butlers are rated differently, best first.
    const byName = Object.fromEntries(items.map((i) => [i.butlerName, i.csatMean]));
    expect(byName['林静怡']).toBeGreaterThan(byName['周婉清']);
    const cases = await t.as(token).get('/api/v1/cases?limit=100');
    expect(new Set(cases.body.items.map((c: { status: string }) => c.status))).toEqual(
      new Set(['open', 'in_progress', 'resolved', 'closed']),
    );
    // The summary the seed wrote equals what the raw rows give.
    const [drift] = await db.query(`
      SELECT count(*)::int AS n FROM butler_daily_stats s JOIN users u ON u.id = s.butler_id
       WHERE u.email LIKE '%@demo.butler.local'
         AND s.responses <> (SELECT count(*) FROM survey_responses r
                             WHERE r.butler_id = s.butler_id
                               AND (r.responded_at AT TIME ZONE 'Asia/Shanghai')::date = s.day)`);
    expect(drift.n).toBe(0);
  });
});
