import { Client } from 'pg';

import { loadConfig } from '../../libs/config/src/app-config';
import { runMigrations } from '../../libs/database/src/prepare-database';
import { APP_ROLE, runEnvironment, superuserUrl } from './test-env';

// A fresh database owned by a non-superuser role, migrated from zero, for this run only.
export default async function globalSetup(): Promise<void> {
  const env = runEnvironment();
  Object.assign(process.env, env);
  const admin = new Client({ connectionString: superuserUrl() });
  await admin.connect();
  try {
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
    if (role.rowCount === 0) await admin.query(`CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    await admin.query(`CREATE DATABASE "${env.TEST_DATABASE}" OWNER ${APP_ROLE}`);
  } finally {
    await admin.end();
  }
  await runMigrations(loadConfig(process.env).database);
}
