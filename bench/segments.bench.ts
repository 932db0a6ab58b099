import { loadavg } from 'node:os';

import { Logger } from '@nestjs/common';
import { Client } from 'pg';

import { DatabaseConfig } from '@app/config';
import { ensureDatabase, runMigrations } from '@app/database';
import { hashPassword } from '@app/users';

import { AROMA_TYPES } from '../libs/catalog/src/entities/product.entity';
import { DEMO_CITIES, prng } from '../libs/demo/src';
import { bulkUuid, copyRows } from '../libs/demo/src/seed-bulk';
import { RFM_SEGMENT_KEYS } from '../libs/insights/src/rfm';
import {
  AGE_BANDS,
  responseCountersSql,
  SATISFACTION_COUNTERS,
  SATISFACTION_GROUPS,
  type SatisfactionGroup,
} from '../libs/surveys/src/satisfaction-stats';
import { assertLoopback, BenchContext, BenchRow, login, positiveInt, ratio, startApi, withDatabase } from './kit';

// Satisfaction by client group (issue 18, "Segments"): GET /reports/satisfaction over the summary
// that N survey answers (10,000,000; BENCH_QUICK=1: 1,000,000; BENCH_SEGMENTS_RESPONSES to choose)
// leave, in a scratch database of its own (butler_bench_segments[_N]; built once, reused; --reset
// or BENCH_RESET=1 rebuilds):
//
// 1. Data set: 50 teams × 10 butlers and N answers over 730 days, each with its client's groups
//    (tier, 20 cities and 5% not recorded, gender, age band, channel, 12 aromas, 9 RFM segments),
//    COPYed into a staging table, then summed into satisfaction_stats set-based: per grouping one
//    GROUP BY over the facts (the surveys library's own counter expressions, responseCountersSql;
//    every team's scope and each team's, by day), the months summed from the days, the primary key
//    built after. (addToSatisfactionSql, the write path's upsert, would take about an hour for 10M
//    on two cores: it is checked by test/satisfaction-segments.e2e-spec.ts.) The raw survey rows are
//    not generated: the report never reads them.
// 2. Reads: the real API as the admin (every team: the largest scope), each groupBy over the
//    longest period allowed, both ends mid-month (730 days: 23 whole months from the monthly rows,
//    30 days at the ends from the daily rows), one request at a time, median and
//    p95 of SAMPLES. Ceiling: the same route, same groupBy, over a period with no rows (the HTTP,
//    sign-in, validation and group listing it costs without the summary), measured alternately.
//    Target: median ≤ 50 ms.

const QUICK = process.env.BENCH_QUICK === '1';
const RESPONSES = positiveInt(process.env.BENCH_SEGMENTS_RESPONSES) ?? (QUICK ? 1_000_000 : 10_000_000);
const RESET = process.argv.includes('--reset') || process.env.BENCH_RESET === '1';
const DB_NAME = RESPONSES === 10_000_000 ? 'butler_bench_segments' : `butler_bench_segments_${RESPONSES}`;
const MANAGERS = 50;
const TEAM_SIZE = 10;
const BUTLERS = MANAGERS * TEAM_SIZE;
const SPAN_DAYS = 730;
// The data set's last day (fixed: the same set whatever day it is built).
const END_DAY = '2026-11-30';
const SAMPLES = 40;
const TARGET_MS = 50;
const PASSWORD = 'bench-segments-2026';
const ADMIN_EMAIL = 'segments-admin@bench.butler.local';
const KIND_MANAGER = 0x5e1;
const KIND_BUTLER = 0x5e2;

export const timeoutMs = 40 * 60_000;

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const log = (line: string): void => ctx.log(`segments: ${line}`);
  const dbUrl = withDatabase(ctx.config.database.DATABASE_URL, DB_NAME);
  assertLoopback(dbUrl, 'DATABASE_URL');
  log(`${RESPONSES.toLocaleString('en-US')} answers, scratch database ${DB_NAME}, load average ${loadavg()}`);
  const built = await ensureDataset(dbUrl, log);
  const api = await startApi(ctx, { DATABASE_URL: dbUrl });
  const token = await login(api.url, ADMIN_EMAIL, PASSWORD);
  const headers = { authorization: `Bearer ${token}` };
  // Both ends mid-month: the worst mix of monthly and daily rows.
  const to = shift(END_DAY, -10);
  const from = shift(to, -(SPAN_DAYS - 1));
  const rows: BenchRow[] = [];
  for (const groupBy of SATISFACTION_GROUPS) {
    const url = (period: string) =>
      `${api.url}/api/v1/reports/satisfaction?groupBy=${groupBy}&kind=transactional&${period}`;
    const full = url(`from=${from}&to=${to}`);
    const empty = url('from=2001-01-15&to=2002-12-30');
    // Warm both (the first request plans the statements, loads the pages).
    for (let i = 0; i < 3; i++) await Promise.all([time(full, headers), time(empty, headers)]);
    const measured: number[] = [];
    const ceiling: number[] = [];
    let groups = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const a = await time(full, headers);
      groups = a.groups;
      measured.push(a.ms);
      ceiling.push((await time(empty, headers)).ms);
    }
    const m = stats(measured);
    const c = stats(ceiling);
    log(`groupBy=${groupBy}: median ${m.median.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms (${groups} groups)`);
    rows.push({
      benchmark:
        `segments: GET /reports/satisfaction?groupBy=${groupBy} as admin, ${from}..${to} ` +
        `(${(RESPONSES / 1e6).toLocaleString('en-US')}M answers, ${BUTLERS} butlers, ${groups} groups)`,
      figure: `median ${m.median.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms`,
      target: `median ≤ ${TARGET_MS} ms`,
      ceiling: `median ${c.median.toFixed(1)} ms, p95 ${c.p95.toFixed(1)} ms: the same route over an empty period`,
      ratio: ratio(m.median, c.median),
      met: m.median <= TARGET_MS,
    });
  }
  log(`summary: ${built}`);
  return rows;
}

async function time(url: string, headers: Record<string, string>): Promise<{ ms: number; groups: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
  const body = (await res.json()) as { items?: unknown[] };
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return { ms, groups: body.items?.length ?? 0 };
}

function stats(values: number[]): { median: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], p95: sorted[Math.ceil(sorted.length * 0.95) - 1] };
}

function shift(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

class StderrLogger extends Logger {
  constructor(private readonly write: (line: string) => void) {
    super('Database');
  }

  override log(message: unknown): void {
    this.write(String(message));
  }
}

async function onConnection<T>(dbUrl: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: dbUrl, application_name: 'bench-segments' });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

// The data set, reused when complete: what it holds, in words.
async function ensureDataset(dbUrl: string, log: (line: string) => void): Promise<string> {
  const config = Object.assign(new DatabaseConfig(), { DATABASE_URL: dbUrl, DATABASE_MIGRATE_ON_START: true });
  const logger = new StderrLogger(log);
  const describe = (db: Client) =>
    db
      .query<{ rows: string; size: string }>(
        `SELECT count(*) AS rows, pg_size_pretty(pg_total_relation_size('satisfaction_stats')) AS size
           FROM satisfaction_stats`,
      )
      .then(({ rows: [r] }) => `${Number(r.rows).toLocaleString('en-US')} summary rows, ${r.size}`);
  await ensureDatabase(config, logger);
  await runMigrations(config, logger);
  const found = await onConnection(dbUrl, async (db) => {
    if (RESET) return null;
    const { rows } = await db
      .query<{ responses: string }>(`SELECT responses FROM bench.segments_dataset`)
      .catch(() => ({ rows: [] as { responses: string }[] }));
    return rows.length > 0 && Number(rows[0].responses) === RESPONSES ? `reused: ${await describe(db)}` : null;
  });
  if (found) return found;
  const admin = withDatabase(dbUrl, 'postgres');
  await onConnection(admin, (db) => db.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`));
  await ensureDatabase(config, logger);
  await runMigrations(config, logger);
  return onConnection(dbUrl, async (db) => {
    const t0 = performance.now();
    await generate(db, log);
    const seconds = (performance.now() - t0) / 1000;
    await db.query(`CREATE TABLE bench.segments_dataset (responses bigint NOT NULL, seconds float8 NOT NULL)`);
    await db.query(`INSERT INTO bench.segments_dataset VALUES ($1, $2)`, [RESPONSES, seconds]);
    return `built in ${seconds.toFixed(0)} s: ${await describe(db)}`;
  });
}

async function generate(db: Client, log: (line: string) => void): Promise<void> {
  const step = async (what: string, work: () => Promise<unknown>): Promise<void> => {
    const t = performance.now();
    await work();
    log(`  ${what}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  const hash = await hashPassword(PASSWORD);
  await step(`1 admin, ${MANAGERS} managers, ${BUTLERS} butlers`, async () => {
    await db.query(`INSERT INTO users (email, name, role, password_hash) VALUES ($1, '评测管理员', 'admin', $2)`, [
      ADMIN_EMAIL,
      hash,
    ]);
    for (let m = 0; m < MANAGERS; m++) {
      await db.query(
        `INSERT INTO users (id, email, name, role, region, password_hash) VALUES ($1, $2, $3, 'manager', $4, '!')`,
        [bulkUuid(KIND_MANAGER, m), `segments-manager${m + 1}@bench.butler.local`, `评测经理${m + 1}`, REGIONS[m % 5]],
      );
    }
    for (let b = 0; b < BUTLERS; b++) {
      await db.query(
        `INSERT INTO users (id, email, name, role, manager_id, password_hash) VALUES ($1, $2, $3, 'butler', $4, '!')`,
        [
          bulkUuid(KIND_BUTLER, b),
          `segments-butler${b + 1}@bench.butler.local`,
          `评测管家${b + 1}`,
          bulkUuid(KIND_MANAGER, Math.floor(b / TEAM_SIZE)),
        ],
      );
    }
  });
  await db.query(`CREATE SCHEMA IF NOT EXISTS bench`);
  await db.query(
    `CREATE UNLOGGED TABLE bench.segment_facts (
       kind text, day date, butler_id uuid, channel text, team text, tier text, city text, gender text,
       age_band text, aroma text, segment text, csat smallint, nps smallint, reliability smallint,
       responsiveness smallint, assurance smallint, empathy smallint, tangibles smallint)`,
  );
  await step(`COPY ${RESPONSES.toLocaleString('en-US')} answers`, () =>
    copyRows(
      db,
      `COPY bench.segment_facts (kind, day, butler_id, channel, team, tier, city, gender, age_band, aroma, segment,
         csat, nps, reliability, responsiveness, assurance, empathy, tangibles) FROM STDIN`,
      factChunks(),
    ),
  );
  const counters = responseCountersSql('f', false, 1);
  const sums = SATISFACTION_COUNTERS.map((c) => `sum(${c})::int`).join(', ');
  const columns = `kind, dim, scope, grain, period, value, ${SATISFACTION_COUNTERS.join(', ')}`;
  await db.query(`SET work_mem = '512MB'`);
  await db.query(`ALTER TABLE satisfaction_stats DROP CONSTRAINT "PK_satisfaction_stats"`);
  for (const group of SATISFACTION_GROUPS) {
    // OFFSET 0 keeps the subquery whole: flattened, the team grouping's value and its team are one
    // expression, and the every-team set would not null it.
    await step(`summary by ${group}, by day`, () =>
      db.query(
        `INSERT INTO satisfaction_stats (${columns})
         SELECT kind, '${group}', COALESCE(team, '*'), 'd', day, value, ${sums}
           FROM (SELECT f.kind, f.day, f.team, ${FACT_VALUE[group]} AS value, ${counters}
                   FROM bench.segment_facts f OFFSET 0) x
          GROUP BY GROUPING SETS ((kind, day, team, value), (kind, day, value))`,
      ),
    );
  }
  await step('summary by month, from the days', () =>
    db.query(
      `INSERT INTO satisfaction_stats (${columns})
       SELECT kind, dim, scope, 'm', date_trunc('month', period)::date, value,
              ${SATISFACTION_COUNTERS.map((c) => `sum(${c})::int`).join(', ')}
         FROM satisfaction_stats WHERE grain = 'd' GROUP BY kind, dim, scope, date_trunc('month', period), value`,
    ),
  );
  await step('primary key', () =>
    db.query(
      `ALTER TABLE satisfaction_stats ADD CONSTRAINT "PK_satisfaction_stats"
         PRIMARY KEY ("kind", "dim", "scope", "grain", "period", "value")`,
    ),
  );
  await step('drop the staging table, VACUUM ANALYZE', async () => {
    await db.query(`DROP TABLE bench.segment_facts`);
    await db.query(`VACUUM (ANALYZE) satisfaction_stats`);
  });
}

// Each grouping's value in a fact, as the write path keys it (libs/surveys/src/satisfaction-stats.ts).
const FACT_VALUE: Record<SatisfactionGroup, string> = {
  team: 'f.team',
  butler: 'f.butler_id::text',
  tier: 'f.tier',
  city: 'f.city',
  gender: 'f.gender',
  ageBand: 'f.age_band',
  channel: 'f.channel',
  aroma: 'f.aroma',
  segment: 'f.segment',
};

const REGIONS = ['西南', '华东', '华北', '华南', '华中'];
const CITIES = DEMO_CITIES.slice(0, 20);
const TIERS: [string, number][] = [
  ['regular', 45],
  ['silver', 30],
  ['gold', 18],
  ['black', 7],
];

const weighted = (rand: () => number, table: [string, number][]): string => {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = rand() * total;
  for (const [value, w] of table) if ((x -= w) < 0) return value;
  return table[table.length - 1][0];
};

// Answers spread evenly over the days, each with its butler, team and client groups; a
// deterministic stream, 20,000 rows a chunk.
function* factChunks(): Generator<string> {
  const rand = prng(20261130);
  const first = Date.parse(`${shift(END_DAY, -(SPAN_DAYS - 1))}T00:00:00Z`);
  const butlers = Array.from({ length: BUTLERS }, (_, b) => bulkUuid(KIND_BUTLER, b));
  const teams = Array.from({ length: MANAGERS }, (_, m) => bulkUuid(KIND_MANAGER, m));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  let chunk = '';
  for (let n = 0; n < RESPONSES; n++) {
    const day = new Date(first + Math.floor((n * SPAN_DAYS) / RESPONSES) * 86_400_000).toISOString().slice(0, 10);
    const b = Math.floor(rand() * BUTLERS);
    const csat = Math.min(5, 1 + Math.floor(rand() * 5.6));
    const score = () => (rand() < 0.6 ? String(Math.min(5, Math.max(1, csat + Math.floor(rand() * 3) - 1))) : '\\N');
    chunk +=
      [
        'transactional',
        day,
        butlers[b],
        rand() < 0.7 ? 'email' : rand() < 0.7 ? 'sms' : 'wecom',
        teams[Math.floor(b / TEAM_SIZE)],
        weighted(rand, TIERS),
        rand() < 0.05 ? '' : pick(CITIES),
        rand() < 0.1 ? '' : rand() < 0.75 ? 'male' : 'female',
        rand() < 0.15 ? '' : pick(AGE_BANDS),
        rand() < 0.2 ? '' : pick(AROMA_TYPES),
        pick(RFM_SEGMENT_KEYS),
        csat,
        rand() < 0.8 ? Math.min(10, Math.max(0, csat * 2 + Math.floor(rand() * 3) - 1)) : '\\N',
        score(),
        score(),
        score(),
        score(),
        score(),
      ].join('\t') + '\n';
    if ((n + 1) % 20_000 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
