import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import type { DatabaseConfig } from '@app/config';

import { typeormOptions } from './typeorm-options';

// Any number of processes may start at once: one advisory lock serialises the migrations.
const MIGRATION_LOCK_KEY = 7_310_2026;

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

// Creates the database when it does not exist. A role without CREATEDB skips this step: the
// database must then have been created for it (see docs/operations.md, "Database").
export async function ensureDatabase(config: DatabaseConfig, logger = new Logger('Database')): Promise<void> {
  const name = databaseName(config.DATABASE_URL);
  const adminUrl = new URL(config.DATABASE_URL);
  adminUrl.pathname = '/postgres';
  const client = new Client({ connectionString: adminUrl.toString() });
  try {
    await client.connect();
  } catch {
    return; // no access to the maintenance database: assume the target exists
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      logger.log(`Created database ${name}`);
    }
  } catch (error) {
    // 42P04: created meanwhile by another process. 42501: no CREATEDB right.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '42501') throw error;
  } finally {
    await client.end();
  }
}

export async function runMigrations(config: DatabaseConfig, logger = new Logger('Database')): Promise<string[]> {
  const dataSource = new DataSource({ ...typeormOptions(config), entities: [], extra: { max: 1 } });
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of ran) logger.log(`Migrated: ${m.name}`);
    return ran.map((m) => m.name);
  } finally {
    await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await dataSource.destroy();
  }
}

export async function prepareDatabase(config: DatabaseConfig): Promise<void> {
  if (!config.DATABASE_MIGRATE_ON_START) return;
  await ensureDatabase(config);
  await runMigrations(config);
}
