import { ConfigValidationError, DEV_JWT_SECRET, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('starts with working defaults and says which secrets are development ones', () => {
    const config = loadConfig({});
    expect(config.http.PORT).toBe(3000);
    expect(config.database.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/butler_crm');
    expect(config.redis.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.mail.SMTP_URL).toBeUndefined();
    expect(config.auth.JWT_SECRET).toBe(DEV_JWT_SECRET);
    expect(config.devDefaults).toEqual(['JWT_SECRET', 'ADMIN_PASSWORD']);
  });

  it('converts numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_MIGRATE_ON_START: 'false', DOCS_ENABLED: '0' });
    expect(config.http.PORT).toBe(8080);
    expect(config.database.DATABASE_MIGRATE_ON_START).toBe(false);
    expect(config.http.DOCS_ENABLED).toBe(false);
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
