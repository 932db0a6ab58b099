import 'reflect-metadata';

import type { DataSource, EntityManager } from 'typeorm';

import { nameSearchKeys } from '@app/customers';
import { hashPassword } from '@app/users';

import { DEMO_PRODUCTS, DEMO_STAFF } from './demo-data';
import { generateDemoClients } from './demo-generator';
import { seedServiceHistory } from './demo-service-history';

export const DEMO_PASSWORD = 'demo-butler-2026';

export interface SeedResult {
  users: number;
  products: number;
  customers: number;
  tasteProfiles: number;
  purchases: number;
  surveyResponses: number;
  cases: number;
}

async function insertedCount(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const rows: unknown[] = await em.query(`${sql} RETURNING 1`, params);
  return rows.length;
}

// Loads the demo team, catalog and 200 clients with tastes and purchase histories, past survey
// answers and after-sales cases. Every row is
// inserted only if missing (by email, SKU, mobile, order number), so a second run changes nothing.
export async function seedDemo(dataSource: DataSource, now = new Date()): Promise<SeedResult> {
  return dataSource.transaction(async (em) => {
    // Several processes starting at once (DEMO_DATA) load it one after the other.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('butler-crm:seed-demo'))`);
    const result: SeedResult = {
      users: 0,
      products: 0,
      customers: 0,
      tasteProfiles: 0,
      purchases: 0,
      surveyResponses: 0,
      cases: 0,
    };
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const [manager, ...butlers] = DEMO_STAFF;
    result.users += await insertedCount(
      em,
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, 'manager', $3)
         ON CONFLICT (email) DO NOTHING`,
      [manager.email, manager.name, passwordHash],
    );
    const managerId: string = (await em.query('SELECT id FROM users WHERE email = $1', [manager.email]))[0].id;
    for (const butler of butlers) {
      result.users += await insertedCount(
        em,
        `INSERT INTO users (email, name, role, manager_id, password_hash) VALUES ($1, $2, 'butler', $3, $4)
           ON CONFLICT (email) DO NOTHING`,
        [butler.email, butler.name, managerId, passwordHash],
      );
    }
    const butlerIds: string[] = [];
    for (const butler of butlers)
      butlerIds.push((await em.query('SELECT id FROM users WHERE email = $1', [butler.email]))[0].id);

    for (const p of DEMO_PRODUCTS) {
      result.products += await insertedCount(
        em,
        `INSERT INTO products (sku, name, brand, series, aroma, abv, volume_ml, price_fen, vintage, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (sku) DO NOTHING`,
        [p.sku, p.name, p.brand, p.series, p.aroma, p.abv, p.volumeMl, p.priceFen, p.vintage, p.active],
      );
    }
    const productIds = new Map<string, string>(
      (await em.query('SELECT sku, id FROM products')).map((r: { sku: string; id: string }) => [r.sku, r.id]),
    );

    const clients = generateDemoClients(200, butlerIds.length);
    const customerIds: string[] = [];
    for (const c of clients) {
      const keys = nameSearchKeys(c.name);
      const inserted: { id: string }[] = await em.query(
        `INSERT INTO customers (name, mobile, email, gender, birthday_calendar, birthday_year, birthday_month,
           birthday_day, birthday_leap_month, city, tier, tags, butler_id, consent_greetings, consent_surveys,
           consent_updated_at, consent_source, notes, name_pinyin, name_initials)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'store', $17, $18, $19)
         ON CONFLICT (mobile) WHERE deleted_at IS NULL AND mobile IS NOT NULL DO NOTHING RETURNING id`,
        [
          c.name,
          c.mobile,
          c.email,
          c.gender,
          c.birthday?.calendar ?? null,
          c.birthday?.year ?? null,
          c.birthday?.month ?? null,
          c.birthday?.day ?? null,
          c.birthday?.leapMonth ?? false,
          c.city,
          c.tier,
          c.tags,
          butlerIds[c.butlerIndex],
          c.consentGreetings,
          c.consentSurveys,
          now,
          c.notes,
          keys.pinyin,
          keys.initials,
        ],
      );
      result.customers += inserted.length;
      const customerId: string = (
        await em.query('SELECT id, butler_id FROM customers WHERE mobile = $1 AND deleted_at IS NULL', [c.mobile])
      )[0].id;
      customerIds[c.index] = customerId;

      const t = c.taste;
      result.tasteProfiles += await insertedCount(
        em,
        `INSERT INTO taste_profiles (customer_id, aromas, abv_min, abv_max, price_min_fen, price_max_fen, brands,
           occasions)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (customer_id) DO NOTHING`,
        [customerId, JSON.stringify(t.aromas), t.abvMin, t.abvMax, t.priceMinFen, t.priceMaxFen, t.brands, t.occasions],
      );

      for (const p of c.purchases) {
        const purchasedAt = new Date(now.getTime() - p.daysAgo * 86_400_000);
        purchasedAt.setUTCHours(p.hour - 8, 0, 0, 0); // the hour in Asia/Shanghai
        const total = p.items.reduce((s, i) => s + i.quantity * i.unitPriceFen, 0);
        const purchase: { id: string }[] = await em.query(
          `INSERT INTO purchases (customer_id, butler_id, order_ref, channel, purchased_at, total_fen)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_ref) DO NOTHING RETURNING id`,
          [customerId, butlerIds[c.butlerIndex], p.orderRef, p.channel, purchasedAt, total],
        );
        if (purchase.length === 0) continue;
        result.purchases++;
        for (const item of p.items) {
          await em.query(
            `INSERT INTO purchase_items (purchase_id, product_id, quantity, unit_price_fen, line_total_fen)
               VALUES ($1, $2, $3, $4, $5)`,
            [
              purchase[0].id,
              productIds.get(item.sku),
              item.quantity,
              item.unitPriceFen,
              item.quantity * item.unitPriceFen,
            ],
          );
        }
      }
    }
    // Purchase statistics on each client; only stale rows are written, so a second run touches nothing.
    await em.query(`
      UPDATE customers c
      SET purchase_count = p.n, total_spent_fen = p.total, first_purchase_at = p.first, last_purchase_at = p.last
      FROM (SELECT customer_id, count(*)::int AS n, sum(total_fen) AS total, min(purchased_at) AS first,
        max(purchased_at) AS last
            FROM purchases GROUP BY customer_id) p
      WHERE p.customer_id = c.id
        AND (c.purchase_count, c.total_spent_fen, c.first_purchase_at, c.last_purchase_at) 
            IS DISTINCT FROM (p.n, p.total, p.first, p.last)`);
    Object.assign(result, await seedServiceHistory(em, clients, customerIds, butlerIds, now));
    return result;
  });
}
