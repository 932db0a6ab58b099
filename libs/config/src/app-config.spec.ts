import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CONFIG_CLASSES,
  ConfigValidationError,
  DEV_JWT_SECRET,
  durationMs,
  loadConfig,
  loadDotEnv,
  parseTrustProxy,
} from './app-config';

describe('loadConfig', () => {
  it('starts with working defaults and says which secrets are development ones', () => {
    const config = loadConfig({});
    expect(config.http.PORT).toBe(3000);
    expect(config.database.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/butler_crm');
    expect(config.redis.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.mail.SMTP_URL).toBeUndefined();
    expect(config.auth.JWT_SECRET).toBe(DEV_JWT_SECRET);
    expect(config.devDefaults).toEqual(['JWT_SECRET', 'SETTINGS_ENCRYPTION_KEY', 'ADMIN_PASSWORD']);
  });

  it('converts numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_MIGRATE_ON_START: 'false', DOCS_ENABLED: '0' });
    expect(config.http.PORT).toBe(8080);
    expect(config.database.DATABASE_MIGRATE_ON_START).toBe(false);
    expect(config.http.DOCS_ENABLED).toBe(false);
  });

  it('takes true|false|1|0 for a boolean and refuses anything else, naming the variable', () => {
    expect(loadConfig({ DOCS_ENABLED: 'TRUE', DEMO_DATA: '1' }).http.DOCS_ENABLED).toBe(true);
    expect(() => loadConfig({ DOCS_ENABLED: 'maybe' })).toThrow(/DOCS_ENABLED must be true, false, 1 or 0/);
    expect(() => loadConfig({ DATABASE_MIGRATE_ON_START: 'yes' })).toThrow(
      /DATABASE_MIGRATE_ON_START must be true, false, 1 or 0/,
    );
  });

  it('reads OUTBOX_MAX_OUTAGE as a duration with its unit and refuses one without, naming it', () => {
    expect(durationMs(loadConfig({}).mail.OUTBOX_MAX_OUTAGE)).toBe(24 * 3_600_000);
    expect(durationMs(loadConfig({ OUTBOX_MAX_OUTAGE: '90s' }).mail.OUTBOX_MAX_OUTAGE)).toBe(90_000);
    expect(() => loadConfig({ OUTBOX_MAX_OUTAGE: '24' })).toThrow(/OUTBOX_MAX_OUTAGE must be a duration/);
    expect(() => loadConfig({ OUTBOX_PROBE_MS: '10' })).toThrow(/OUTBOX_PROBE_MS/);
  });

  it('trusts no proxy by default; a hop count or a list of proxies when told', () => {
    expect(parseTrustProxy(loadConfig({}).http.TRUST_PROXY)).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.5')).toEqual(['10.0.0.0/8', '192.168.1.5']);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY must be/);
  });

  it('serves docs and listens on every interface only when asked, or in production', () => {
    const dev = loadConfig({});
    expect(dev.http).toMatchObject({ DOCS_ENABLED: true, HOST: '127.0.0.1' });
    const prod = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      SETTINGS_ENCRYPTION_KEY: 'ab'.repeat(32),
    });
    expect(prod.http).toMatchObject({ DOCS_ENABLED: false, HOST: '0.0.0.0' });
    expect(loadConfig({ HOST: '0.0.0.0', DOCS_ENABLED: 'false' }).http).toMatchObject({
      DOCS_ENABLED: false,
      HOST: '0.0.0.0',
    });
  });

  it('reads .env (or ENV_FILE) when present; the environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'butler-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'BUTLER_TEST_FROM_FILE=file\nBUTLER_TEST_BOTH=file\n');
    const env: NodeJS.ProcessEnv = { ENV_FILE: join(dir, 'missing.env'), BUTLER_TEST_BOTH: 'environment' };
    expect(loadDotEnv(env)).toBeNull();
    env.ENV_FILE = file;
    expect(loadDotEnv(env)).toBe(file);
    expect(env).toMatchObject({ BUTLER_TEST_FROM_FILE: 'file', BUTLER_TEST_BOTH: 'environment' });
  });

  it('.env.example lists every variable, and nothing else', () => {
    const listed = [
      ...readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8').matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm),
    ].map((m) => m[1]);
    const known = CONFIG_CLASSES.flatMap((cls) => Object.keys(new (cls as unknown as new () => object)()));
    expect([...listed].sort()).toEqual([...known].sort());
  });

  it('names every bad variable in one error', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://mail' });
    expect(attempt).toThrow(ConfigValidationError);
    expect(attempt).toThrow(/PORT must be an integer number/);
    expect(attempt).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(attempt).toThrow(/SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
  });

  it('requires JWT_SECRET in production and never echoes secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required when NODE_ENV=production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SETTINGS_ENCRYPTION_KEY is required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ SETTINGS_ENCRYPTION_KEY: 'not-a-key-0123' })).toThrow(
      /SETTINGS_ENCRYPTION_KEY must be 32 bytes/,
    );
    expect(() => loadConfig({ SETTINGS_ENCRYPTION_KEY: 'not-a-key-0123' })).not.toThrow(/not-a-key-0123/);
    let message = '';
    try {
      loadConfig({ JWT_SECRET: 'short-secret-value' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('JWT_SECRET must be at least 32 characters');
    expect(message).not.toContain('short-secret-value');
  });
});
