import Fastify from 'fastify';
import { Pool } from 'pg';

import { loadConfig } from '@app/config';

import { clientSearchSql } from '../libs/customers/src/search';

// The ceiling for the read and search benchmarks: bare Fastify + pg running the same SQL as the
// API (the client row by id under the butler's ownership predicate; the filtered, keyset-paginated
// list, `q` included through the API's own search condition) with a pool of the same size, and
// answering the same JSON. No Nest, no auth, no validation layer, no logging. The acting butler
// comes from the x-actor-id header.
// Started by bench/read.bench.ts and bench/search.bench.ts with PORT, HOST and DATABASE_URL like the API.

const COLUMNS = `c.id, c.name, c.mobile, c.email, c.gender, c.birthday_calendar, c.birthday_year, c.birthday_month,
  c.birthday_day, c.birthday_leap_month, c.city, c.wechat_id,
  c.tier, c.tags, c.butler_id, c.consent_greetings, c.consent_surveys, c.consent_greetings_email,
  c.consent_greetings_sms, c.consent_greetings_wecom, c.consent_surveys_email, c.consent_surveys_sms,
  c.consent_surveys_wecom, c.preferred_channel,
  c.consent_updated_at,
  c.consent_source, c.notes, c.last_purchase_at, c.first_purchase_at, c.last_touch_at, c.purchase_count,
  c.total_spent_fen, c.created_at,
  c.updated_at, c.deleted_at`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIERS = new Set(['regular', 'silver', 'gold', 'black']);

interface Row {
  id: string;
  name: string;
  mobile: string | null;
  email: string | null;
  gender: string | null;
  birthday_calendar: string | null;
  birthday_year: number | null;
  birthday_month: number | null;
  birthday_day: number | null;
  birthday_leap_month: boolean;
  city: string | null;
  wechat_id: string | null;
  tier: string;
  tags: string[];
  butler_id: string;
  consent_greetings: boolean;
  consent_surveys: boolean;
  consent_greetings_email: boolean;
  consent_greetings_sms: boolean;
  consent_greetings_wecom: boolean;
  consent_surveys_email: boolean;
  consent_surveys_sms: boolean;
  consent_surveys_wecom: boolean;
  preferred_channel: string | null;
  consent_updated_at: Date | null;
  consent_source: string | null;
  notes: string;
  last_purchase_at: Date | null;
  first_purchase_at: Date | null;
  last_touch_at: Date | null;
  purchase_count: number;
  total_spent_fen: string;
  created_at: Date;
  updated_at: Date;
}

function map(c: Row): Record<string, unknown> {
  const md = `${String(c.birthday_month).padStart(2, '0')}-${String(c.birthday_day).padStart(2, '0')}`;
  return {
    id: c.id,
    name: c.name,
    mobile: c.mobile,
    email: c.email,
    gender: c.gender,
    birthday: c.birthday_calendar
      ? {
          date: c.birthday_year ? `${c.birthday_year}-${md}` : md,
          calendar: c.birthday_calendar,
          leapMonth: c.birthday_leap_month,
        }
      : null,
    city: c.city,
    wechatId: c.wechat_id,
    tier: c.tier,
    tags: c.tags,
    butlerId: c.butler_id,
    consent: {
      greetings: c.consent_greetings,
      surveys: c.consent_surveys,
      channels: {
        greetings: { email: c.consent_greetings_email, sms: c.consent_greetings_sms, wecom: c.consent_greetings_wecom },
        surveys: { email: c.consent_surveys_email, sms: c.consent_surveys_sms, wecom: c.consent_surveys_wecom },
      },
      updatedAt: c.consent_updated_at?.toISOString() ?? null,
      source: c.consent_source,
    },
    preferredChannel: c.preferred_channel,
    notes: c.notes,
    purchaseCount: c.purchase_count,
    totalSpentFen: Number(c.total_spent_fen),
    firstPurchaseAt: c.first_purchase_at?.toISOString() ?? null,
    lastPurchaseAt: c.last_purchase_at?.toISOString() ?? null,
    lastTouchAt: c.last_touch_at?.toISOString() ?? null,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = new Pool({
    connectionString: config.database.DATABASE_URL,
    max: config.database.DATABASE_POOL_SIZE,
    application_name: 'bench-ceiling',
  });
  const app = Fastify({ logger: false });

  app.get<{ Params: { id: string }; Headers: { 'x-actor-id'?: string } }>('/customers/:id', async (request, reply) => {
    const actor = request.headers['x-actor-id'] ?? '';
    if (!UUID.test(request.params.id))
      return reply
        .code(400)
        .send({ statusCode: 400, message: 'Validation failed (uuid is expected)', error: 'Bad Request' });
    const { rows } = await pool.query<Row>(
      `SELECT ${COLUMNS} FROM customers c WHERE c.id = $1 AND c.deleted_at IS NULL AND c.butler_id = $2`,
      [request.params.id, actor],
    );
    if (rows.length === 0)
      return reply.code(404).send({ statusCode: 404, message: 'Customer not found', error: 'Not Found' });
    return map(rows[0]);
  });

  app.get<{ Querystring: { tier?: string; q?: string; limit?: string }; Headers: { 'x-actor-id'?: string } }>(
    '/customers',
    async (request, reply) => {
      const actor = request.headers['x-actor-id'] ?? '';
      const limit = Number(request.query.limit ?? 50);
      const tier = request.query.tier;
      const q = request.query.q?.trim();
      if (
        !Number.isInteger(limit) ||
        limit < 1 ||
        limit > 200 ||
        (tier !== undefined && !TIERS.has(tier)) ||
        (q !== undefined && (q.length < 1 || q.length > 50))
      ) {
        return reply
          .code(400)
          .send({ statusCode: 400, message: ['limit, tier or q is invalid'], error: 'Bad Request' });
      }
      const params: unknown[] = [actor];
      let where = 'c.deleted_at IS NULL AND c.butler_id = $1';
      if (tier) {
        params.push(tier);
        where += ` AND c.tier = $${params.length}`;
      }
      if (q) {
        const search = clientSearchSql('c', q).at(params.length + 1);
        params.push(...search.params);
        where += ` AND ${search.sql}`;
      }
      // A literal LIMIT, as TypeORM writes it.
      const { rows } = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM customers c WHERE ${where} ORDER BY c.name ASC, c.id ASC LIMIT ${limit + 1}`,
        params,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const nextCursor =
        rows.length > limit && last ? Buffer.from(JSON.stringify([last.name, last.id])).toString('base64url') : null;
      return { items: page.map(map), nextCursor };
    },
  );

  const close = (): void => {
    void app
      .close()
      .then(() => pool.end())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
  await app.listen({ port: config.http.PORT, host: config.http.HOST });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
