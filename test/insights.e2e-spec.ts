import { randomUUID } from 'node:crypto';

import { bootApp, TestApp } from './support/test-app';

// Metrics and recommendations for one client, against the real app and database. Other test files
// write clients, products and purchases to the same database at the same time, so every
// assertion is about this file's own rows, or about extremes no other client can reach.

const DAY = 86_400_000;
const daysAgo = (d: number): string => new Date(Date.now() - d * DAY).toISOString();

describe('client insights: metrics and recommendations', () => {
  let t: TestApp;
  let admin: string;
  let butlerA: { id: string; token: string };
  let managerA: { id: string; token: string };
  let butlerB: { id: string; token: string };
  let managerB: { id: string; token: string };
  const tag = randomUUID().slice(0, 6).toUpperCase();
  let orders = 0;

  const product = async (
    key: string,
    fields: { name: string; brand: string; aroma: string; abv: number; priceFen: number; active?: boolean },
  ) => {
    const res = await t.as(admin).post('/api/v1/products', { sku: `INS-${tag}-${key}`, volumeMl: 500, ...fields });
    if (res.status !== 201) throw new Error(`product ${key}: ${res.status} ${res.text}`);
    return res.body as { id: string; sku: string; name: string };
  };
  const customer = async (name: string, tier = 'gold', token = butlerA.token): Promise<string> => {
    const res = await t.as(token).post('/api/v1/customers', { name: `${name}${tag}`, tier });
    if (res.status !== 201) throw new Error(`customer ${name}: ${res.status} ${res.text}`);
    return res.body.id as string;
  };
  const buy = async (customerId: string, productId: string, at: string, unitPriceFen = 100_000, quantity = 1) => {
    const res = await t.as(butlerA.token).post(`/api/v1/customers/${customerId}/purchases`, {
      orderRef: `INS-${tag}-${++orders}`,
      channel: 'store',
      purchasedAt: at,
      items: [{ productId, quantity, unitPriceFen }],
    });
    if (res.status !== 201) throw new Error(`purchase: ${res.status} ${res.text}`);
  };
  const metrics = (id: string, token = butlerA.token) => t.as(token).get(`/api/v1/customers/${id}/metrics`);
  const recommend = (id: string, limit = 20, token = butlerA.token) =>
    t.as(token).get(`/api/v1/customers/${id}/recommendations?limit=${limit}`);
  const skus = (res: { body: { items: { product: { sku: string } }[] } }) => res.body.items.map((i) => i.product.sku);

  // Products: each test brand is unique to this run, so only these products can fit a profile
  // naming it perfectly.
  const jiangBrand = `酱园${tag}`;
  const qingBrand = `清坊${tag}`;
  let jiangFav: { id: string; sku: string; name: string };
  let jiangOther: { id: string; sku: string; name: string };
  let companion: { id: string; sku: string; name: string };
  let recentJiang: { id: string; sku: string; name: string };
  let oldJiang: { id: string; sku: string; name: string };
  let inactiveJiang: { id: string; sku: string; name: string };
  let qingFav: { id: string; sku: string; name: string };
  let popHot: { id: string; sku: string; name: string };
  let popWarm: { id: string; sku: string; name: string };
  let noProfileClient: string;

  const jiangProfile = {
    aromas: [
      { type: 'jiang', weight: 1 },
      { type: 'nong', weight: 0.3 },
    ],
    abvRange: [50, 54],
    priceRangeFen: [100_000, 200_000],
    brands: [jiangBrand],
    occasions: ['gifting'],
  };
  const qingProfile = {
    aromas: [{ type: 'qing', weight: 1 }],
    abvRange: [50, 54],
    priceRangeFen: [60_000, 120_000],
    brands: [qingBrand],
  };

  beforeAll(async () => {
    t = await bootApp();
    admin = await t.adminToken();
    managerA = await t.createUser(admin, { role: 'manager' });
    butlerA = await t.createUser(admin, { role: 'butler', managerId: managerA.id });
    managerB = await t.createUser(admin, { role: 'manager' });
    butlerB = await t.createUser(admin, { role: 'butler', managerId: managerB.id });

    const jiang = { aroma: 'jiang', abv: 53, priceFen: 150_000 };
    jiangFav = await product('JF', { name: `酱园珍品${tag}`, brand: jiangBrand, ...jiang });
    jiangOther = await product('JO', { name: `他牌酱酒${tag}`, brand: `他牌${tag}`, ...jiang });
    companion = await product('CO', { name: `伴手酱酒${tag}`, brand: `伴手${tag}`, ...jiang });
    recentJiang = await product('JR', { name: `酱园新品${tag}`, brand: jiangBrand, ...jiang });
    oldJiang = await product('JD', { name: `酱园老酒${tag}`, brand: jiangBrand, ...jiang });
    inactiveJiang = await product('JX', { name: `酱园停产${tag}`, brand: jiangBrand, ...jiang, active: false });
    qingFav = await product('QF', {
      name: `清坊青花${tag}`,
      brand: qingBrand,
      aroma: 'qing',
      abv: 53,
      priceFen: 89_900,
    });
    popHot = await product('PH', {
      name: `热销酒${tag}`,
      brand: `热销${tag}`,
      aroma: 'feng',
      abv: 45,
      priceFen: 30_000,
    });
    popWarm = await product('PW', {
      name: `次热销酒${tag}`,
      brand: `次热${tag}`,
      aroma: 'mi',
      abv: 30,
      priceFen: 20_000,
    });

    // What black-tier clients bought this year, in place before the first no-profile
    // recommendation of this app (tier popularity is cached per process).
    noProfileClient = await customer('无档案', 'black');
    for (let n = 0; n < 3; n++) {
      const buyer = await customer(`黑卡${n}`, 'black');
      for (let k = 0; k < 5; k++) await buy(buyer, popHot.id, daysAgo(10 + k * 30), 30_000);
      await buy(buyer, popWarm.id, daysAgo(20), 20_000);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  describe('metrics', () => {
    it('reports count, total, average, first and last purchase, recency and rate on a known history', async () => {
      const id = await customer('指标');
      await buy(id, jiangFav.id, daysAgo(60), 100_000);
      await buy(id, jiangFav.id, daysAgo(50), 100_000, 3);
      await buy(id, jiangOther.id, daysAgo(40), 200_000);

      const res = await metrics(id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        customerId: id,
        purchaseCount: 3,
        totalFen: 600_000,
        avgOrderFen: 200_000,
        recencyDays: 40,
        purchasesPerYear: 18.26,
      });
      expect(Date.now() - Date.parse(res.body.firstPurchaseAt)).toBeGreaterThanOrEqual(60 * DAY);
      expect(Date.now() - Date.parse(res.body.lastPurchaseAt)).toBeLessThan(41 * DAY);
      expect(res.body.rfm).toEqual({
        recency: expect.any(Number),
        frequency: expect.any(Number),
        monetary: expect.any(Number),
      });
      expect(res.body.churnRisk.typicalIntervalDays).toBe(10);
    });

    it(
      'flags a client silent for longer than k times their own interval, ' + 'and clears them when k is raised',
      async () => {
        const before = (await t.as(admin).get('/api/v1/settings')).body.churn as {
          k: number;
          singlePurchaseDays: number;
          detractorDays: number;
        };
        expect(before.k).toBeLessThanOrEqual(7);
        // A 10-day rhythm, silent for 10k + 20 days: at risk now, safe once k grows by 3.
        const silentDays = 10 * before.k + 20;
        const id = await customer('流失');
        for (const d of [silentDays + 20, silentDays + 10, silentDays]) await buy(id, jiangFav.id, daysAgo(d));

        const atRisk = (await metrics(id)).body.churnRisk;
        expect(atRisk).toEqual({
          atRisk: true,
          reasons: [
            {
              code: 'overdue_repurchase',
              message: `已 ${silentDays} 天未购买，超过其平均购买间隔（约 10 天）的 ${before.k} 倍`,
            },
          ],
          typicalIntervalDays: 10,
          k: before.k,
        });

        try {
          const patched = await t.as(admin).patch('/api/v1/settings', { churn: { ...before, k: before.k + 3 } });
          expect(patched.status).toBe(200);
          const after = (await metrics(id)).body.churnRisk;
          expect(after).toEqual({ atRisk: false, reasons: [], typicalIntervalDays: 10, k: before.k + 3 });
        } finally {
          // Settings are shared with every test file: put them back at once.
          await t.as(admin).patch('/api/v1/settings', { churn: before });
        }
      },
    );

    it('uses the single-purchase window for a client who bought once', async () => {
      const { singlePurchaseDays } = (await t.as(admin).get('/api/v1/settings')).body.churn;
      const lapsed = await customer('一次久');
      await buy(lapsed, jiangFav.id, daysAgo(singlePurchaseDays + 10));
      const recent = await customer('一次新');
      await buy(recent, jiangFav.id, daysAgo(3));

      const lapsedRisk = (await metrics(lapsed)).body.churnRisk;
      expect(lapsedRisk).toMatchObject({
        atRisk: true,
        typicalIntervalDays: null,
        reasons: [{ code: 'single_purchase_lapsed' }],
      });
      expect(lapsedRisk.reasons[0].message).toBe(
        `仅购买过一次，已 ${singlePurchaseDays + 10} 天未再购买（超过 ${singlePurchaseDays} 天）`,
      );
      const recentMetrics = (await metrics(recent)).body;
      expect(recentMetrics.churnRisk).toMatchObject({ atRisk: false, reasons: [] });
      // A month at least: one purchase three days ago is 12 a year, not 120.
      expect(recentMetrics.purchasesPerYear).toBe(12);
    });

    it('scores RFM against the whole base: the best of all is 5/5/5, the least is 1/1/1', async () => {
      // More purchases, more money and a later purchase than any other client in the database.
      const best = await customer('至尊');
      for (let n = 30; n >= 1; n--) await buy(best, jiangFav.id, daysAgo(n * 3), 100_000_000, 10);
      await buy(best, jiangFav.id, new Date().toISOString(), 100_000_000, 10);
      // One tiny purchase ten years ago.
      const least = await customer('沉睡');
      await buy(least, jiangFav.id, daysAgo(3650), 1);
      // One huge purchase ten years ago: worth winning back.
      const lostWhale = await customer('流失大户');
      await buy(lostWhale, jiangFav.id, daysAgo(3650), 100_000_000, 200);

      const top = (await metrics(best)).body;
      expect(top.rfm).toEqual({ recency: 5, frequency: 5, monetary: 5 });
      expect(top.segment).toEqual({ key: 'important_value', name: '重要价值客户' });
      const bottom = (await metrics(least)).body;
      expect(bottom.rfm).toEqual({ recency: 1, frequency: 1, monetary: 1 });
      expect(bottom.segment).toEqual({ key: 'general_winback', name: '一般挽留客户' });
      const whale = (await metrics(lostWhale)).body;
      expect(whale.rfm).toEqual({ recency: 1, frequency: 1, monetary: 5 });
      expect(whale.segment).toEqual({ key: 'important_winback', name: '重要挽留客户' });
    });

    it('shows a client who never bought as new, with no scores and no risk', async () => {
      const id = await customer('新人');
      const res = await metrics(id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        purchaseCount: 0,
        totalFen: 0,
        avgOrderFen: null,
        firstPurchaseAt: null,
        lastPurchaseAt: null,
        recencyDays: null,
        purchasesPerYear: 0,
        rfm: null,
        segment: { key: 'new', name: '新客户' },
        churnRisk: { atRisk: false, reasons: [], typicalIntervalDays: null },
      });
    });
  });

  describe('recommendations', () => {
    it('follows the taste profile: jiang first for a jiang lover, qing first once the profile changes', async () => {
      const id = await customer('口味');
      expect((await t.as(butlerA.token).put(`/api/v1/customers/${id}/taste-profile`, jiangProfile)).status).toBe(200);

      const jiang = await recommend(id, 5);
      expect(jiang.status).toBe(200);
      expect(jiang.body.items).toHaveLength(5);
      // The perfect fits (favourite aroma, brand, price and abv) lead, equal scores by SKU.
      expect(skus(jiang).slice(0, 3)).toEqual([jiangFav.sku, oldJiang.sku, recentJiang.sku].sort());
      expect(jiang.body.items[0]).toEqual({
        product: {
          id: expect.any(String),
          sku: expect.any(String),
          name: expect.any(String),
          brand: jiangBrand,
          aroma: 'jiang',
          aromaName: '酱香',
          abv: 53,
          priceFen: 150_000,
        },
        score: 1,
        reasons: ['偏好酱香', '价位匹配', '度数合适', '喜爱的品牌'],
        reason: '偏好酱香 · 价位匹配 · 度数合适 · 喜爱的品牌',
      });

      expect((await t.as(butlerA.token).put(`/api/v1/customers/${id}/taste-profile`, qingProfile)).status).toBe(200);
      const qing = await recommend(id, 20);
      expect(qing.body.items[0]).toMatchObject({
        product: { sku: qingFav.sku, aroma: 'qing', aromaName: '清香' },
        score: 1,
        reason: '偏好清香 · 价位匹配 · 度数合适 · 喜爱的品牌',
      });
      // The former favourite only keeps what still fits (the abv), far down.
      const formerFavourite = (
        qing.body.items as { product: { sku: string }; score: number; reasons: string[] }[]
      ).find((i) => i.product.sku === jiangFav.sku);
      expect(formerFavourite?.reasons ?? []).not.toContain('偏好酱香');
      expect(formerFavourite?.score ?? 0).toBeLessThan(0.5);
    });

    it(
      'leaves out what the client bought in the last 180 days and inactive products, ' + 'and blends in co-purchase',
      async () => {
        // Two other clients bought the recent product together with the companion.
        for (const n of [1, 2]) {
          const other = await customer(`同好${n}`);
          await buy(other, recentJiang.id, daysAgo(30 + n));
          await buy(other, companion.id, daysAgo(25 + n));
        }
        const id = await customer('老客');
        await t.as(butlerA.token).put(`/api/v1/customers/${id}/taste-profile`, jiangProfile);
        await buy(id, recentJiang.id, daysAgo(20));
        await buy(id, oldJiang.id, daysAgo(200));

        const res = await recommend(id, 20);
        expect(res.status).toBe(200);
        const list = skus(res);
        expect(list).not.toContain(recentJiang.sku);
        expect(list).not.toContain(inactiveJiang.sku);
        expect(list).toContain(oldJiang.sku);
        // The companion fits the taste less than the favourite brand, but other clients buy it
        // with what this client bought: it comes first, and says why.
        expect(res.body.items[0]).toMatchObject({
          product: { sku: companion.sku },
          score: 0.86,
          reasons: ['偏好酱香', '价位匹配', '度数合适', `常与${recentJiang.name}一同购买`],
          reason: `偏好酱香 · 价位匹配 · 度数合适 · 常与${recentJiang.name}一同购买`,
        });
        expect(list.indexOf(companion.sku)).toBeLessThan(list.indexOf(jiangOther.sku));
        for (const item of res.body.items as { score: number; reasons: string[]; reason: string }[]) {
          expect(item.score).toBeGreaterThan(0);
          expect(item.score).toBeLessThanOrEqual(1);
          expect(item.reasons.length).toBeGreaterThan(0);
          expect(item.reason).toBe(item.reasons.join(' · '));
          expect(item.reason).toMatch(/^[\u4e00-\u9fa5]/);
        }
      },
    );

    it('never recommends an inactive product, even a perfect fit', async () => {
      const id = await customer('停产');
      await t.as(butlerA.token).put(`/api/v1/customers/${id}/taste-profile`, jiangProfile);
      expect(skus(await recommend(id, 20))).not.toContain(inactiveJiang.sku);
    });

    it('falls back to what clients of the same tier buy most when there is no profile', async () => {
      const res = await recommend(noProfileClient, 20);
      expect(res.status).toBe(200);
      expect(res.body.items[0]).toMatchObject({
        product: { sku: popHot.sku },
        score: 1,
        reasons: ['同级别客户热销'],
        reason: '同级别客户热销',
      });
      const list = skus(res);
      expect(list).toContain(popWarm.sku);
      expect(list.indexOf(popWarm.sku)).toBeGreaterThan(0);
    });

    it('applies the default limit of 5 and rejects limits out of range', async () => {
      const id = await customer('上限');
      await t.as(butlerA.token).put(`/api/v1/customers/${id}/taste-profile`, jiangProfile);
      const res = await t.as(butlerA.token).get(`/api/v1/customers/${id}/recommendations`);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(5);
      expect((await recommend(id, 21)).status).toBe(400);
      expect((await recommend(id, 0)).status).toBe(400);
    });
  });

  describe('access', () => {
    it('answers 404 to another team, changes nothing, and lets the own team and an admin in', async () => {
      const id = await customer('隐私');
      await t.as(butlerA.token).put(`/api/v1/customers/${id}/taste-profile`, jiangProfile);
      await buy(id, jiangFav.id, daysAgo(5));
      const snapshot = async () =>
        (
          await t.db.query(
            `SELECT c.updated_at, c.purchase_count, c.total_spent_fen, tp.updated_at AS profile_at,
               (SELECT count(*) FROM purchases p WHERE p.customer_id = c.id) AS purchases,
               (SELECT count(*) FROM audit_log a WHERE a.entity_id = c.id) AS audits
             FROM customers c LEFT JOIN taste_profiles tp ON tp.customer_id = c.id WHERE c.id = $1`,
            [id],
          )
        )[0];
      const before = await snapshot();

      for (const outsider of [butlerB.token, managerB.token]) {
        const m = await metrics(id, outsider);
        expect(m.status).toBe(404);
        expect(m.body).toMatchObject({ statusCode: 404, message: 'Customer not found' });
        expect((await recommend(id, 5, outsider)).status).toBe(404);
      }
      expect(await snapshot()).toEqual(before);

      for (const insider of [butlerA.token, managerA.token, admin]) {
        expect((await metrics(id, insider)).status).toBe(200);
        expect((await recommend(id, 5, insider)).status).toBe(200);
      }
      expect((await metrics(randomUUID())).status).toBe(404);
      expect((await t.as(butlerA.token).get('/api/v1/customers/not-a-uuid/metrics')).status).toBe(400);
    });
  });
});
