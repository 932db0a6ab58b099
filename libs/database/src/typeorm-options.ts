import { join } from 'node:path';

import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';

import type { DatabaseConfig } from '@app/config';

// Paths are relative to this file so they work from the sources (ts-node, jest) and from dist/.
const root = join(__dirname, '..', '..', '..');

export const ENTITY_GLOBS = [join(root, 'libs', '*', 'src', '**', '*.entity.{ts,js}')];
export const MIGRATION_GLOBS = [join(root, 'migrations', '*.{ts,js}')];

export function typeormOptions(config: DatabaseConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install (non-superuser safe).
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATION_GLOBS,
    migrationsTableName: 'typeorm_migrations',
    // A connection that cannot be had within 10 s is an error, not an endless wait.
    extra: { max: config.DATABASE_POOL_SIZE, connectionTimeoutMillis: 10_000, application_name: 'butler-crm' },
    logging: ['error'],
  };
}

// The outbox's pool: the same database and entities as the main one, `OUTBOX_POOL_SIZE`
// connections, named so pg_stat_activity tells them apart.
export const OUTBOX_DATA_SOURCE = 'outbox';

export function outboxTypeormOptions(
  config: DatabaseConfig,
  entities: DataSourceOptions['entities'],
): DataSourceOptions {
  const options = typeormOptions(config);
  return {
    ...options,
    name: OUTBOX_DATA_SOURCE,
    entities,
    migrations: [],
    extra: { ...options.extra, max: config.OUTBOX_POOL_SIZE, application_name: 'butler-crm-outbox' },
  };
}
