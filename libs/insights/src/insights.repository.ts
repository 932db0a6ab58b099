import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { AromaType } from '@app/catalog';
import { shanghaiDaysBetweenSql } from '@app/common';
import type { Tier } from '@app/customers';
import { detractorSql } from '@app/surveys';

import type { RecentDetractor } from './churn-risk';
import type { MetricsRow } from './metrics';
import type { CandidateProduct, CoPurchaseCount } from './recommendation-ranking';

// Bounds that keep the co-purchase query small whatever the size of the purchase history.
export const CO_PURCHASE_LIMITS = {
  // The client's most recently bought distinct products.
  seeds: 20,
  // Orders read per seed product to find other clients who bought it.
  ordersPerSeed: 15,
  // Latest purchases read per such client.
  purchasesPerBuyer: 4,
};
// Products bought this recently are not offered again.
export const RECENTLY_BOUGHT_DAYS = 180;
// Tier popularity counts orders over this window.
export const POPULARITY_DAYS = 365;

interface MetricsSqlRow {
  purchase_count: number;
  total_spent_fen: string;
  avg_order_fen: string | null;
  first_purchase_at: Date | null;
  last_purchase_at: Date | null;
  wecom_removed_at: Date | null;
  recency_days: number | null;
  as_of: Date;
  recency_below: string | null;
  recency_rest: string | null;
  frequency_below: string | null;
  monetary_below: string | null;
}

interface ProductSqlRow {
  id: string;
  sku: string;
  name: string;
  brand: string;
  aroma: AromaType;
  abv: string;
  price_fen: number;
}

// Every SQL query of the insights: one client's figures and the numbers the ranking needs.
@Injectable()
export class InsightsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // The client's statistics (kept in step with purchases on the client row) and, for a client
  // who bought, how many clients of the base rank below them on R, F and M. Each count is an
  // index-only range scan of one partial index on customers (last_purchase_at, purchase_count,
  // total_spent_fen): no client row is read but this one.
  // `asOf` is the app's Clock: recency and windows never read PostgreSQL's now().
  async metrics(customerId: string, asOf: Date): Promise<MetricsRow | null> {
    const rows: MetricsSqlRow[] = await this.dataSource.query(
      `SELECT c.purchase_count, c.total_spent_fen, c.first_purchase_at, c.last_purchase_at, c.wecom_removed_at,
         $2::timestamptz AS as_of,
         CASE WHEN c.purchase_count > 0 THEN round(c.total_spent_fen::numeric / c.purchase_count) END AS avg_order_fen,
         -- Calendar days in Asia/Shanghai; a purchase dated a little ahead (clock skew) reads 0.
         CASE WHEN c.last_purchase_at IS NOT NULL THEN
           ${shanghaiDaysBetweenSql('c.last_purchase_at', '$2::timestamptz')} END AS recency_days,
         -- Clients who bought are exactly those with a last purchase: counting both sides of this
         -- client on that index gives the base in the same scan as the recency rank.
         CASE WHEN c.purchase_count > 0 THEN
           (SELECT count(*) FROM customers x WHERE x.deleted_at IS NULL AND x.last_purchase_at < c.last_purchase_at)
         END AS recency_below,
         CASE WHEN c.purchase_count > 0 THEN
           (SELECT count(*) FROM customers x WHERE x.deleted_at IS NULL AND x.last_purchase_at >= c.last_purchase_at)
         END AS recency_rest,
         CASE WHEN c.purchase_count > 0 THEN
           (SELECT count(*) FROM customers x
             WHERE x.deleted_at IS NULL AND x.purchase_count > 0 AND x.purchase_count < c.purchase_count)
         END AS frequency_below,
         CASE WHEN c.purchase_count > 0 THEN
           (SELECT count(*) FROM customers x
             WHERE x.deleted_at IS NULL AND x.purchase_count > 0 AND x.total_spent_fen < c.total_spent_fen)
         END AS monetary_below
       FROM customers c
       WHERE c.id = $1`,
      [customerId, asOf],
    );
    return rows.length > 0 ? mapMetricsRow(rows[0]) : null;
  }

  // The client's latest detractor survey answer (CSAT 1–2 or NPS 0–6), if any.
  async recentDetractor(customerId: string): Promise<RecentDetractor | null> {
    const rows: { responded_at: Date; nps: number | null; csat: number }[] = await this.dataSource.query(
      `SELECT responded_at, nps, csat FROM survey_responses
        WHERE customer_id = $1 AND ${detractorSql('')} ORDER BY responded_at DESC LIMIT 1`,
      [customerId],
    );
    return rows[0] ? { respondedAt: rows[0].responded_at, nps: rows[0].nps, csat: rows[0].csat } : null;
  }

  // Active products the client has not bought in the last RECENTLY_BOUGHT_DAYS days.
  async candidates(customerId: string, asOf: Date): Promise<CandidateProduct[]> {
    const rows: ProductSqlRow[] = await this.dataSource.query(
      `SELECT p.id, p.sku, p.name, p.brand, p.aroma, p.abv, p.price_fen
       FROM products p
       WHERE p.active
         AND p.id NOT IN (
           SELECT i.product_id FROM purchases pu JOIN purchase_items i ON i.purchase_id = pu.id
           WHERE pu.customer_id = $1 AND pu.purchased_at >= $3::timestamptz - make_interval(days => $2))
       ORDER BY p.sku`,
      [customerId, RECENTLY_BOUGHT_DAYS, asOf],
    );
    return rows.map(mapProductRow);
  }

  // Item-to-item co-purchase, bounded: the client's latest distinct products (seeds); for each, a
  // fixed sample of orders containing it, read in (product_id, purchase_id) order from the index
  // alone (purchase ids are random, so this is an unbiased, repeatable sample); the other clients
  // of those orders; and what they bought in their latest purchases.
  async coPurchases(customerId: string): Promise<CoPurchaseCount[]> {
    const rows: { seed_id: string; seed_name: string; product_id: string; buyers: number }[] =
      await this.dataSource.query(
        `WITH seeds AS (
         SELECT i.product_id, max(pu.purchased_at) AS last_at
         FROM purchases pu JOIN purchase_items i ON i.purchase_id = pu.id
         WHERE pu.customer_id = $1
         GROUP BY i.product_id
         ORDER BY last_at DESC, i.product_id
         LIMIT $2
       ),
       co_buyers AS (
         SELECT DISTINCT s.product_id AS seed_id, pu.customer_id
         FROM seeds s
         CROSS JOIN LATERAL (
           SELECT i.purchase_id FROM purchase_items i WHERE i.product_id = s.product_id ORDER BY i.purchase_id LIMIT $3
         ) sample
         JOIN purchases pu ON pu.id = sample.purchase_id
         WHERE pu.customer_id <> $1
       ),
       buyer_products AS (
         SELECT DISTINCT b.customer_id, i.product_id
         FROM (SELECT DISTINCT customer_id FROM co_buyers) b
         CROSS JOIN LATERAL (
           SELECT pu.id FROM purchases pu WHERE pu.customer_id = b.customer_id ORDER BY pu.purchased_at DESC LIMIT $4
         ) latest
         JOIN purchase_items i ON i.purchase_id = latest.id
       )
       SELECT cb.seed_id, sp.name AS seed_name, bp.product_id, count(*)::int AS buyers
       FROM co_buyers cb
       JOIN buyer_products bp ON bp.customer_id = cb.customer_id AND bp.product_id <> cb.seed_id
       JOIN products sp ON sp.id = cb.seed_id
       GROUP BY cb.seed_id, sp.name, bp.product_id`,
        [customerId, CO_PURCHASE_LIMITS.seeds, CO_PURCHASE_LIMITS.ordersPerSeed, CO_PURCHASE_LIMITS.purchasesPerBuyer],
      );
    return rows.map((r) => ({
      seedProductId: r.seed_id,
      seedName: r.seed_name,
      productId: r.product_id,
      buyers: r.buyers,
    }));
  }

  // Orders per product over the last POPULARITY_DAYS days among clients of one tier. Reads a whole
  // tier's year of purchases (hundreds of ms on 1M purchases): the service caches it.
  async tierPopularity(tier: Tier, asOf: Date): Promise<Map<string, number>> {
    const rows: { product_id: string; orders: number }[] = await this.dataSource.query(
      `SELECT i.product_id, count(DISTINCT pu.id)::int AS orders
       FROM customers c
       JOIN purchases pu ON pu.customer_id = c.id AND pu.purchased_at >= $3::timestamptz - make_interval(days => $2)
       JOIN purchase_items i ON i.purchase_id = pu.id
       WHERE c.tier = $1 AND c.deleted_at IS NULL AND c.last_purchase_at >= $3::timestamptz - make_interval(days => $2)
       GROUP BY i.product_id`,
      [tier, POPULARITY_DAYS, asOf],
    );
    return new Map(rows.map((r) => [r.product_id, r.orders]));
  }
}

// bigint and numeric arrive as strings; these amounts and counts stay far below 2^53.
const num = (value: string | number): number => Number(value);
const numOrNull = (value: string | number | null): number | null => (value === null ? null : Number(value));

function mapMetricsRow(r: MetricsSqlRow): MetricsRow {
  return {
    purchaseCount: r.purchase_count,
    totalFen: num(r.total_spent_fen),
    avgOrderFen: numOrNull(r.avg_order_fen),
    firstPurchaseAt: r.first_purchase_at,
    lastPurchaseAt: r.last_purchase_at,
    wecomRemovedAt: r.wecom_removed_at,
    recencyDays: r.recency_days,
    asOf: r.as_of,
    ranks:
      r.recency_below === null || r.recency_rest === null
        ? null
        : {
            base: num(r.recency_below) + num(r.recency_rest),
            recencyBelow: num(r.recency_below),
            frequencyBelow: num(r.frequency_below ?? 0),
            monetaryBelow: num(r.monetary_below ?? 0),
          },
  };
}

function mapProductRow(r: ProductSqlRow): CandidateProduct {
  return { id: r.id, sku: r.sku, name: r.name, brand: r.brand, aroma: r.aroma, abv: num(r.abv), priceFen: r.price_fen };
}
