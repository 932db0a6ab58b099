import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { Logger } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

import { scopeOf } from '@app/access';
import { sqlLiteral, SqlParams } from '@app/common';
import { DatabaseConfig } from '@app/config';
import { ensureDatabase, runMigrations } from '@app/database';
import { hashPassword } from '@app/users';

import { RESPONSE_HEADER } from '../libs/exports/src/export-columns';
import { responsesQuery } from '../libs/exports/src/exports.repository';
import {
  assertLoopback,
  BenchContext,
  BenchRow,
  login,
  positiveInt,
  procMemoryMiB,
  ratio,
  startApi,
  stop,
  withDatabase,
} from './kit';

// Exports at scale (issue 18 part 6), in a scratch database of its own (butler_bench_exports; the
// dev database is never touched), built once and reused while complete:
//
// 1. Data set: 1 manager × 10 butlers, 100,000 clients, N survey responses (1,000,000;
//    BENCH_EXPORT_RESPONSES or BENCH_QUICK=1 for 100,000) over two years with their interactions and
//    invitations, one in six with a comment and its themes (comment_themes), set-based INSERTs.
// 2. The real API (child process from dist/) streams GET /api/v1/exports/survey-responses as the
//    team's manager (all N rows), as CSV and then as .xlsx, read to the end by this process; the
//    API's resident memory is sampled every 50 ms (peak RSS during the download) and rows/s is N
//    over the wall time to the last byte. Targets: ≤ 300 MB RSS, ≥ 50,000 rows/s.
// 3. Ceiling, in the same run, for each format: the same statement (the export's own SQL, same
//    scope; PostgreSQL renders each row in the format, so that work is in the ceiling too) read
//    through COPY … TO STDOUT with pg-copy-streams from this process, its rows counted, nothing else.
// 4. The .xlsx opens: downloaded once more (untimed) to a file and read back by exceljs's streaming
//    reader, a spreadsheet library apart from the writer: the Chinese header row and N data rows.
const QUICK = process.env.BENCH_QUICK === '1';
const RESPONSES = positiveInt(process.env.BENCH_EXPORT_RESPONSES) ?? (QUICK ? 100_000 : 1_000_000);
const RESET = process.argv.includes('--reset') || process.env.BENCH_RESET === '1';
const DB_NAME = RESPONSES === 1_000_000 ? 'butler_bench_exports' : `butler_bench_exports_${RESPONSES}`;
const BUTLERS = 10;
const CUSTOMERS = 100_000;
const SPAN_DAYS = 730;
const PASSWORD = 'bench-exports-2026';
const MANAGER_EMAIL = 'exports-manager@exports.bench.butler.local';
const MOBILE_PREFIX = '1374'; // seed:bulk 1370, import 1371, fanout 1372, ratings 1373
const RSS_TARGET_MB = 300;
const RATE_TARGET = 50_000;
export const timeoutMs = 20 * 60_000;

const uuidSql = (kind: string, n: string): string =>
  `('${kind}0000000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const appDbUrl = ctx.config.database.DATABASE_URL;
  assertLoopback(appDbUrl, 'DATABASE_URL');
  const dbUrl = withDatabase(appDbUrl, DB_NAME);
  await ensureDataset(appDbUrl, dbUrl, ctx.log);

  const rows: BenchRow[] = [];
  // A fresh API for each format, so each peak is that format's own (not the heap the other left).
  for (const format of ['csv', 'xlsx'] as const) {
    const ceiling = await rawCopy(dbUrl, format);
    ctx.log(`raw COPY (${format}): ${RESPONSES.toLocaleString('en-US')} rows in ${ceiling.seconds.toFixed(1)} s`);
    const api = await startApi(ctx, { DATABASE_URL: dbUrl });
    try {
      const token = await login(api.url, MANAGER_EMAIL, PASSWORD);
      const result = await download(api.url, token, format, api.pid);
      ctx.log(
        `${format}: ${(result.bytes / 1048576).toFixed(0)} MiB in ${result.seconds.toFixed(1)} s, ` +
          `API RSS ${result.rssBefore.toFixed(0)} MiB before, peak ${result.peakRss.toFixed(0)} MiB`,
      );
      const rate = RESPONSES / result.seconds;
      const rawRate = RESPONSES / ceiling.seconds;
      const label = `export ${RESPONSES.toLocaleString('en-US')} responses, ${format}`;
      rows.push(
        {
          benchmark: `${label}: rows/s`,
          figure: `${Math.round(rate).toLocaleString('en-US')} rows/s (${result.seconds.toFixed(1)} s)`,
          target: `≥ ${RATE_TARGET.toLocaleString('en-US')} rows/s`,
          ceiling: `${Math.round(rawRate).toLocaleString('en-US')} rows/s (raw COPY of the same statement)`,
          ratio: ratio(rate, rawRate),
          met: rate >= RATE_TARGET,
        },
        {
          benchmark: `${label}: API peak RSS`,
          figure: `${result.peakRss.toFixed(0)} MiB (idle ${result.rssBefore.toFixed(0)} MiB)`,
          target: `≤ ${RSS_TARGET_MB} MB`,
          ceiling: '—',
          ratio: '—',
          met: result.peakRss <= RSS_TARGET_MB,
        },
      );
      if (format === 'xlsx') rows.push(await opensInExcelJs(ctx, api.url, token));
    } finally {
      await stop(api.process);
    }
  }
  return rows;
}

// The 1M-row .xlsx saved to a file, then read back row by row by exceljs (streaming, so the reader's
// memory stays small too): the header must be RESPONSE_HEADER and the data rows N, over the sheets.
async function opensInExcelJs(ctx: BenchContext, baseUrl: string, token: string): Promise<BenchRow> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-exports-'));
  const file = join(dir, 'survey-responses.xlsx');
  try {
    const res = await fetch(`${baseUrl}/api/v1/exports/survey-responses?format=xlsx`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10 * 60_000),
    });
    if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}`);
    await pipeline(res.body as unknown as NodeJS.ReadableStream, createWriteStream(file));
    const t0 = performance.now();
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      worksheets: 'emit',
      sharedStrings: 'ignore',
      hyperlinks: 'ignore',
      styles: 'ignore',
    });
    let sheets = 0;
    let dataRows = 0;
    const headersWrong: string[] = [];
    for await (const sheet of reader) {
      sheets += 1;
      let first = true;
      for await (const row of sheet) {
        if (first) {
          const header = (row.values as unknown[]).slice(1).map(String);
          if (JSON.stringify(header) !== JSON.stringify(RESPONSE_HEADER)) headersWrong.push(header.join(','));
          first = false;
        } else dataRows += 1;
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    ctx.log(`xlsx read back by exceljs: ${sheets} sheet(s), ${dataRows} data rows in ${seconds.toFixed(1)} s`);
    const met = headersWrong.length === 0 && dataRows === RESPONSES && sheets > 0;
    return {
      benchmark: `export ${RESPONSES.toLocaleString('en-US')} responses, xlsx: opens in exceljs's reader`,
      figure:
        `${sheets} sheet(s), ${dataRows.toLocaleString('en-US')} data rows, header ` +
        (headersWrong.length === 0
          ? `${RESPONSE_HEADER.slice(0, 3).join(' · ')} … right`
          : `WRONG: ${headersWrong[0]}`),
      target: `the Chinese header row and ${RESPONSES.toLocaleString('en-US')} rows`,
      ceiling: '—',
      ratio: '—',
      met,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// The whole export read by a client that keeps up, the API's RSS sampled meanwhile.
async function download(
  baseUrl: string,
  token: string,
  format: 'csv' | 'xlsx',
  pid: number,
): Promise<{ seconds: number; bytes: number; peakRss: number; rssBefore: number }> {
  const rssBefore = procMemoryMiB(pid, 'VmRSS') ?? 0;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, procMemoryMiB(pid, 'VmRSS') ?? 0);
  }, 50);
  const t0 = performance.now();
  let bytes = 0;
  try {
    const res = await fetch(`${baseUrl}/api/v1/exports/survey-responses?format=${format}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10 * 60_000),
    });
    if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  } finally {
    clearInterval(sampler);
  }
  return { seconds: (performance.now() - t0) / 1000, bytes, peakRss, rssBefore };
}

// The ceiling: the export's own statement for that format (PostgreSQL renders each row whole; the
// data set has no flagged answers, so no integrity words) through COPY as the API runs it, its bytes
// counted and nothing else done with them.
async function rawCopy(dbUrl: string, format: 'csv' | 'xlsx'): Promise<{ seconds: number }> {
  return onConnection(dbUrl, async (db) => {
    const [manager] = (await db.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [MANAGER_EMAIL])).rows;
    const { sql } = responsesQuery(
      scopeOf({ id: manager.id, role: 'manager', managerId: null }),
      { from: null, to: null },
      format,
      { ids: [], texts: [] },
      new SqlParams(sqlLiteral((text) => db.escapeLiteral(text))),
    );
    const t0 = performance.now();
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await db.query('SET LOCAL jit = off');
    let lines = 0;
    const stream = db.query(copyTo(`COPY (${sql}) TO STDOUT`));
    for await (const chunk of stream) for (const b of chunk as Buffer) if (b === 0x0a) lines += 1;
    await db.query('COMMIT');
    if (lines !== RESPONSES) throw new Error(`COPY gave ${lines} rows, expected ${RESPONSES}`);
    return { seconds: (performance.now() - t0) / 1000 };
  });
}

async function ensureDataset(appDbUrl: string, dbUrl: string, log: (line: string) => void): Promise<void> {
  const dbConfig = Object.assign(new DatabaseConfig(), { DATABASE_URL: dbUrl, DATABASE_MIGRATE_ON_START: true });
  const logger = new StderrLogger(log);
  if (!RESET) {
    await ensureDatabase(dbConfig, logger);
    await runMigrations(dbConfig, logger);
    const done = await onConnection(dbUrl, async (db) => {
      const { rows } = await db
        .query<{ responses: string }>(`SELECT responses FROM bench_exports_dataset`)
        .catch(() => ({ rows: [] as { responses: string }[] }));
      return rows.length > 0 && Number(rows[0].responses) === RESPONSES;
    });
    if (done) return;
  }
  log(`data set: building ${RESPONSES.toLocaleString('en-US')} responses in a fresh ${DB_NAME}`);
  await onConnection(withDatabase(appDbUrl, 'postgres'), (admin) =>
    admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`),
  );
  await ensureDatabase(dbConfig, logger);
  await runMigrations(dbConfig, logger);
  const t0 = performance.now();
  await onConnection(dbUrl, async (db) => {
    const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const start = new Date(end.getTime() - SPAN_DAYS * 86_400_000);
    const hash = await hashPassword(PASSWORD);
    await db.query(`SET session_replication_role = replica`);
    await db.query(
      `INSERT INTO users (id, email, name, role, password_hash)
       VALUES (${uuidSql('a', '0')}, $1, '导出经理', 'manager', $2)`,
      [MANAGER_EMAIL, hash],
    );
    await db.query(
      `INSERT INTO users (id, email, name, role, manager_id, password_hash)
       SELECT ${uuidSql('b', 'b')}, 'exports-butler' || (b + 1) || '@exports.bench.butler.local', '导出管家' || (b + 1),
              'butler', ${uuidSql('a', '0')}, $1
         FROM generate_series(0, ${BUTLERS - 1}) b`,
      [hash],
    );
    await db.query(
      `INSERT INTO customers (id, name, mobile, email, gender, city, tier, butler_id, consent_greetings,
        consent_surveys)
       SELECT ${uuidSql('c', 'c')}, '导出客户' || (c + 1), '${MOBILE_PREFIX}' || lpad((c + 1)::text, 7, '0'),
              'exports' || (c + 1) || '@example.com', 'male'::gender,
              (ARRAY['上海', '成都', '杭州', '北京', '深圳'])[1 + (c % 5)],
              (ARRAY['regular', 'regular', 'silver', 'gold', 'black'])[1 + (c % 5)]::customer_tier,
              ${uuidSql('b', `c % ${BUTLERS}`)}, true, true
         FROM generate_series(0, ${CUSTOMERS - 1}) c`,
    );
    const step = (SPAN_DAYS * 86_400) / RESPONSES;
    const at = `($1::timestamptz + n * ${step} * interval '1 second')`;
    const customer = uuidSql('c', `n % ${CUSTOMERS}`);
    const butler = uuidSql('b', `(n % ${CUSTOMERS}) % ${BUTLERS}`);
    await db.query(
      `INSERT INTO interactions (id, customer_id, butler_id, kind, channel, outcome, occurred_at, created_at)
       SELECT ${uuidSql('d', 'n')}, ${customer}, ${butler}, 'follow_up', 'phone', 'reached', ${at}, ${at}
         FROM generate_series(0, ${RESPONSES - 1}) n`,
      [start],
    );
    await db.query(
      `INSERT INTO survey_invitations (id, customer_id, butler_id, interaction_id, source, status, send_at, sent_at,
        expires_at, responded_at, created_at, channel)
       SELECT ${uuidSql('e', 'n')}, ${customer}, ${butler}, ${uuidSql('d', 'n')}, 'follow_up', 'responded',
              ${at}, ${at},
              ${at} + interval '14 days', ${at}, ${at}, (ARRAY['email', 'sms', 'wecom'])[1 + n % 3]
         FROM generate_series(0, ${RESPONSES - 1}) n`,
      [start],
    );
    await db.query(
      `INSERT INTO survey_responses (id, invitation_id, customer_id, butler_id, csat, nps, reliability, responsiveness,
        assurance, empathy, tangibles, comment, responded_at, channel)
       SELECT ${uuidSql('f', 'n')}, ${uuidSql('e', 'n')}, ${customer}, ${butler}, 1 + n % 5, n % 11, 1 + n % 5,
              1 + (n + 1) % 5, 1 + (n + 2) % 5, NULL, 1 + (n + 3) % 5,
              CASE WHEN n % 6 = 0 THEN (ARRAY['酒很顺口，就是快递太慢了', '包装精美，送人有面子', '=价格偏高',
                '管家回复很及时，"服务"周到', '希望多办品鉴会'])[1 + (n / 6) % 5] ELSE '' END,
              ${at}, (ARRAY['email', 'sms', 'wecom'])[1 + n % 3]
         FROM generate_series(0, ${RESPONSES - 1}) n`,
      [start],
    );
    await db.query(
      `INSERT INTO comment_themes (source, source_id, customer_id, butler_id, commented_at, theme, polarity)
       SELECT 'survey', r.id, r.customer_id, r.butler_id, r.responded_at, t.theme, t.polarity
         FROM survey_responses r
         CROSS JOIN LATERAL (VALUES ('taste', 'positive'), ('delivery', 'negative')) t(theme, polarity)
        WHERE r.comment <> ''`,
    );
    await db.query(`SET session_replication_role = DEFAULT`);
    await db.query(
      `VACUUM (ANALYZE) users, customers, interactions, survey_invitations, survey_responses, comment_themes`,
    );
    await db.query(`CREATE TABLE bench_exports_dataset (responses bigint NOT NULL)`);
    await db.query(`INSERT INTO bench_exports_dataset VALUES ($1)`, [RESPONSES]);
  });
  log(`data set built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

async function onConnection<T>(dbUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: dbUrl, application_name: 'bench-exports' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

class StderrLogger extends Logger {
  constructor(private readonly write: (line: string) => void) {
    super('Database');
  }

  override log(message: unknown): void {
    this.write(String(message));
  }
}
