import { parseArgs } from 'node:util';

import { Client } from 'pg';

import { loadConfig, loadDotEnv } from '@app/config';
import { prepareDatabase } from '@app/database';

import { BULK_DEFAULTS, BULK_PASSWORD, BULK_STAFF, seedBulk } from './seed-bulk';

// `npm run seed:bulk -- [--customers 100000] [--purchases 1000000] [--database-url postgres://…] [--reset]`
// migrates if needed, then loads the bulk data set for load tests (see seed-bulk.ts).
const USAGE = 'usage: seed:bulk [--customers N] [--purchases N] [--seed N] [--database-url URL] [--reset]';

function count(value: string | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string' },
      purchases: { type: 'string' },
      seed: { type: 'string' },
      'database-url': { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const options = {
    customers: count(values.customers, BULK_DEFAULTS.customers, 'customers', 1),
    purchases: count(values.purchases, BULK_DEFAULTS.purchases, 'purchases', 0),
    seed: count(values.seed, BULK_DEFAULTS.seed, 'seed', 0),
    reset: values.reset ?? false,
    now: new Date(),
  };
  loadDotEnv();
  const config = loadConfig();
  const database = { ...config.database, DATABASE_URL: values['database-url'] ?? config.database.DATABASE_URL };
  await prepareDatabase(database);

  const client = new Client({ connectionString: database.DATABASE_URL, application_name: 'butler-crm-seed-bulk' });
  await client.connect();
  try {
    console.log(
      `Bulk data set: ${options.customers.toLocaleString('en-US')} clients, ` +
        `${options.purchases.toLocaleString('en-US')} purchases${options.reset ? ' (reset first)' : ''}`,
    );
    const report = await seedBulk(client, options);
    if (report.status === 'present') {
      console.log(
        `Already loaded: ${report.customers.toLocaleString('en-US')} clients and ` +
          `${report.purchases.toLocaleString('en-US')} purchases of the bulk butlers. ` +
          'Nothing changed; run with --reset to delete and reload them.',
      );
      return;
    }
    const rows = report.steps.reduce((s, step) => s + (step.step === 'delete previous' ? 0 : step.rows), 0);
    const seconds = report.elapsedMs / 1000;
    console.log(
      `Loaded ${rows.toLocaleString('en-US')} rows (${report.customers.toLocaleString('en-US')} clients, ` +
        `${report.purchases.toLocaleString('en-US')} purchases, ` +
        `${report.items.toLocaleString('en-US')} items) in ${seconds.toFixed(1)} s: ` +
        `${Math.round(rows / seconds).toLocaleString('en-US')} rows/s.`,
    );
    const butlers = BULK_STAFF.filter((s) => s.role === 'butler').map((s) => s.email);
    console.log(
      `Sign in as ${butlers[0]} … ${butlers[butlers.length - 1]} (or bulk-manager1/2@…) with the password ` +
        `"${BULK_PASSWORD}".`,
    );
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
