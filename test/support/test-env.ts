import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One run = one database, one Redis key prefix, one outbox folder, shared by every e2e file.
export const ADMIN_EMAIL = 'admin@test.local';
export const ADMIN_PASSWORD = 'admin-test-password';
// The app connects as this role, not as a superuser: the grants docs/operations.md documents are tested.
export const APP_ROLE = 'butler_app_test';

export function superuserUrl(database = 'postgres'): string {
  const base = new URL(process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/${database}`;
  return base.toString();
}

export function appUrl(database: string): string {
  const url = new URL(superuserUrl(database));
  url.username = APP_ROLE;
  url.password = '';
  return url.toString();
}

export function runEnvironment(): Record<string, string> {
  const id = `${Date.now().toString(36)}${process.pid}`;
  return {
    TEST_RUN_ID: id,
    TEST_DATABASE: `butler_test_${id}`,
    DATABASE_URL: appUrl(`butler_test_${id}`),
    QUEUE_PREFIX: `test-${id}`,
    OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'butler-outbox-')),
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    JWT_SECRET: 'test-secret-test-secret-test-secret-1234',
    SETTINGS_ENCRYPTION_KEY: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    LOGIN_RATE_LIMIT: '1000',
    // Fuzzing and the matrix sign in wrongly on purpose; the auth tests lower it to test it.
    LOGIN_ACCOUNT_FAILURES: '1000',
    MAIL_BACKOFF_MS: '100',
    MAIL_MAX_ATTEMPTS: '4',
    OUTBOX_RECONCILE_MS: '500',
    NODE_ENV: 'test',
  };
}

// The environment for a service a test starts (redis-server, PostgreSQL): the machine's clock even
// when the tests run under libfaketime (`npm run test:dates`), whose LD_PRELOAD would otherwise
// reach the service (redis-server does not start under it) and whose fake date only the Node
// processes under test should see.
export function realClockEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!key.startsWith('FAKETIME')) env[key] = value;
  const preload = (env.LD_PRELOAD ?? '').split(/[:\s]+/).filter((lib) => lib && !lib.includes('faketime'));
  if (preload.length) env.LD_PRELOAD = preload.join(':');
  else delete env.LD_PRELOAD;
  return env;
}
