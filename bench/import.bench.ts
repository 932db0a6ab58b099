import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { from as copyFrom } from 'pg-copy-streams';

import { DEMO_CITIES, DEMO_GIVEN_NAMES, DEMO_SURNAMES, DEMO_TAGS, prng } from '../libs/demo/src';
import { BULK_PASSWORD, BULK_STAFF } from '../libs/demo/src/seed-bulk';
import { ensureBulkData, withDb } from './bulk-data';
import { BenchContext, BenchRow, login, peakRssMiB, skippedRow, startApi } from './kit';

// Importing 100,000 clients from a CSV file (Chinese headers, as the export writes them) through
// POST /api/v1/customers/import (multipart, field `file`, streamed from disk) as a manager of the
// bulk data set. Ceiling: a raw COPY of the same file into a scratch temp table, same run.
// Also the API process's peak RSS (VmHWM). The imported clients (mobiles 1371xxxxxxx) are
// deleted before and after. Skipped while the route answers 404.

const ROWS = 100_000;
const MOBILE_PREFIX = '1371'; // the bulk seed owns 1370xxxxxxx, the demo seed 1390000xxxx
const IMPORT_TIMEOUT_MS = 5 * 60_000;
const HEADER = [
  '姓名',
  '手机',
  '邮箱',
  '性别',
  '生日',
  '历法',
  '城市',
  '等级',
  '标签',
  '管家邮箱',
  '问候同意',
  '调查同意',
  '备注',
];
const TIER_LABELS = ['普通', '普通', '银卡', '银卡', '金卡', '黑卡'];
const BLOCK = [`${MOBILE_PREFIX}0000000`, `${MOBILE_PREFIX}9999999`];
// Targets (issue): at least this many rows a second, with the API's peak RSS at most this.
const RATE_TARGET = 20_000;
const RSS_TARGET_MIB = 300;

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  await ensureBulkData(ctx);
  const manager = BULK_STAFF[0];
  // Manager 1's team except butler 1, whose book the read benchmark lists.
  const team = BULK_STAFF.filter((s) => s.role === 'butler' && s.manager === 0)
    .map((s) => s.email)
    .slice(1);
  const file = join(tmpdir(), `butler-bench-import-${process.pid}.csv`);
  await writeCsv(file, team);
  await deleteImported(ctx, null);
  const api = await startApi(ctx);
  try {
    const token = await login(api.url, manager.email, BULK_PASSWORD);
    const rssBefore = peakRssMiB(api.pid);
    const form = new FormData();
    form.append('file', await openAsBlob(file, { type: 'text/csv' }), 'clients.csv');
    ctx.log(`import: posting ${ROWS.toLocaleString('en-US')} rows`);
    const started = performance.now();
    const res = await fetch(`${api.url}/api/v1/customers/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
      signal: AbortSignal.timeout(IMPORT_TIMEOUT_MS),
    });
    const text = await res.text();
    const seconds = (performance.now() - started) / 1000;
    if (res.status === 404)
      return [skippedRow('import: POST /customers/import', 'the route answers 404 (not built yet)')];
    if (!res.ok) throw new Error(`import answered ${res.status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as {
      importId?: string;
      rows?: number;
      created?: number;
      updated?: number;
      failedRows?: number;
    };
    const rssAfter = peakRssMiB(api.pid);
    await deleteImported(ctx, body.importId ?? null);

    const ceiling = await copyCeiling(ctx, file);
    const rps = ROWS / seconds;
    ctx.log(
      `import: ${seconds.toFixed(1)} s, ${JSON.stringify(body).slice(0, 200)}; COPY ${ceiling.seconds.toFixed(2)} s`,
    );
    const n = (value: number | undefined): string => value?.toLocaleString('en-US') ?? '?';
    const outcome = `created ${n(body.created)}, updated ${n(body.updated)}, failed ${n(body.failedRows)}`;
    return [
      {
        benchmark: `import: POST /customers/import, ${ROWS.toLocaleString('en-US')} rows CSV (multipart, from disk)`,
        figure: `${Math.round(rps).toLocaleString('en-US')} rows/s (${seconds.toFixed(1)} s; ${outcome})`,
        target: `≥ ${RATE_TARGET.toLocaleString('en-US')} rows/s`,
        ceiling: `${Math.round(ROWS / ceiling.seconds).toLocaleString('en-US')} rows/s, raw COPY into a temp table`,
        ratio: (rps / (ROWS / ceiling.seconds)).toFixed(3),
        // Every row must have been imported, too.
        met: (body.created ?? 0) + (body.updated ?? 0) === ROWS && rps >= RATE_TARGET,
      },
      {
        benchmark: 'import: API process peak RSS (VmHWM)',
        figure: rssAfter === null ? 'n/a (no /proc)' : `${rssAfter.toFixed(0)} MiB after the import`,
        target: `≤ ${RSS_TARGET_MIB} MiB`,
        ceiling: rssBefore === null ? '—' : `${rssBefore.toFixed(0)} MiB before it (booted, idle)`,
        ratio: rssAfter !== null && rssBefore ? (rssAfter / rssBefore).toFixed(2) : '—',
        met: rssAfter === null ? null : rssAfter <= RSS_TARGET_MIB,
      },
    ];
  } finally {
    await rm(file, { force: true });
    await deleteImported(ctx, null).catch(() => undefined);
  }
}

// Deterministic rows: names, cities, tiers and tags like the demo's, every fifth with a lunar
// birthday, clients shared over the manager's team.
async function writeCsv(file: string, butlerEmails: string[]): Promise<void> {
  const rand = prng(2026);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const birthday = (lunar: boolean): string =>
    `${1950 + Math.floor(rand() * 50)}/${1 + Math.floor(rand() * 12)}/${1 + Math.floor(rand() * (lunar ? 29 : 28))}`;
  function* lines(): Generator<string> {
    yield `${HEADER.join(',')}\n`;
    let chunk: string[] = [];
    for (let i = 1; i <= ROWS; i++) {
      const lunar = i % 5 === 0;
      const tags = DEMO_TAGS.filter(() => rand() < 0.12)
        .slice(0, 2)
        .join('、');
      chunk.push(
        [
          `${pick(DEMO_SURNAMES)}${pick(DEMO_GIVEN_NAMES)}`,
          `${MOBILE_PREFIX}${String(i).padStart(7, '0')}`,
          rand() < 0.8 ? `import${i}@example.com` : '',
          rand() < 0.7 ? '男' : '女',
          birthday(lunar),
          lunar ? '农历' : '公历',
          pick(DEMO_CITIES),
          pick(TIER_LABELS),
          tags,
          butlerEmails[i % butlerEmails.length],
          rand() < 0.85 ? '是' : '否',
          rand() < 0.8 ? '是' : '否',
          i % 50 === 0 ? '喜欢收藏年份酒' : '',
        ].join(','),
      );
      if (chunk.length === 2_000) {
        yield `${chunk.join('\n')}\n`;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield `${chunk.join('\n')}\n`;
  }
  await pipeline(lines(), createWriteStream(file));
}

// The same file, COPYed as-is into a temp table of text columns: what the database alone costs.
async function copyCeiling(ctx: BenchContext, file: string): Promise<{ seconds: number }> {
  return withDb(ctx, async (client) => {
    await client.query(`CREATE TEMP TABLE bench_import_ceiling (${HEADER.map((h) => `"${h}" text`).join(', ')})`);
    const started = performance.now();
    await pipeline(
      createReadStream(file),
      client.query(copyFrom('COPY bench_import_ceiling FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
    const seconds = (performance.now() - started) / 1000;
    await client.query('DROP TABLE bench_import_ceiling');
    return { seconds };
  });
}

// Removes the clients this benchmark imports (by their mobile block) and their audit entries,
// then vacuums, so the next benchmark does not wade through 100,000 dead rows.
async function deleteImported(ctx: BenchContext, importId: string | null): Promise<void> {
  await withDb(ctx, async (client) => {
    await client.query('BEGIN');
    let deleted: number;
    try {
      await client.query(
        `CREATE TEMP TABLE bench_imported ON COMMIT DROP AS SELECT id FROM customers WHERE mobile >= $1
          AND mobile <= $2`,
        BLOCK,
      );
      await client.query(`DELETE FROM audit_log a USING bench_imported b WHERE a.entity_id = b.id`);
      if (importId) await client.query(`DELETE FROM audit_log WHERE entity_id = $1`, [importId]);
      deleted = (await client.query(`DELETE FROM customers c USING bench_imported b WHERE c.id = b.id`)).rowCount ?? 0;
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    if (deleted > 0) await client.query('VACUUM (ANALYZE) customers, taste_profiles, audit_log');
  });
}
