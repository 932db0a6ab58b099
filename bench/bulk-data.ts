import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { Client } from 'pg';

import { BULK_BUTLER_EMAILS, countBulkCustomers } from '../libs/demo/src/seed-bulk';
import { BenchContext, ROOT } from './kit';

// The bulk data set (libs/demo/src/seed-bulk.ts) that the benchmarks read: seeded from dist/ on
// first use, then left in place (`npm run seed:bulk -- --reset` reloads it).

const SEED_TIMEOUT_MS = 5 * 60_000;

export async function withDb<T>(ctx: BenchContext, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ctx.config.database.DATABASE_URL, application_name: 'bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function ensureBulkData(ctx: BenchContext): Promise<void> {
  // No schema yet counts as absent: the seed migrates first.
  const present = await withDb(ctx, (client) => countBulkCustomers(client)).catch(() => 0);
  if (present > 0) {
    ctx.log(`bulk data set present (${present.toLocaleString('en-US')} clients)`);
    return;
  }
  ctx.log('no bulk data set yet: running seed:bulk (about a minute)');
  const seed = spawn(
    process.execPath,
    [join(ROOT, 'dist', 'libs', 'demo', 'src', 'seed-bulk.cli.js'), '--database-url', ctx.config.database.DATABASE_URL],
    {
      cwd: ROOT,
      stdio: ['ignore', 2, 2],
    },
  );
  const timer = setTimeout(() => seed.kill('SIGKILL'), SEED_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => seed.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`seed:bulk failed (exit ${code})`);
}

// The first bulk butler and one of their gold clients who has bought (stable for a data set).
export function pickCustomer(ctx: BenchContext): Promise<{ butlerId: string; customerId: string }> {
  return withDb(ctx, async (client) => {
    const butler = await client.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [BULK_BUTLER_EMAILS[0]]);
    if (butler.rows.length === 0) throw new Error(`${BULK_BUTLER_EMAILS[0]} is missing`);
    const customer = await client.query<{ id: string }>(
      `SELECT id FROM customers WHERE butler_id = $1 AND deleted_at IS NULL AND tier = 'gold' AND purchase_count > 0
        ORDER BY mobile LIMIT 1`,
      [butler.rows[0].id],
    );
    if (customer.rows.length === 0) throw new Error(`${BULK_BUTLER_EMAILS[0]} has no gold client`);
    return { butlerId: butler.rows[0].id, customerId: customer.rows[0].id };
  });
}
