import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';

// Each concern is one class whose property names are the environment variables themselves, so
// a validation message names exactly the variable to fix.

const toBool = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

export class HttpConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  // Comma-separated origins; empty keeps CORS off.
  @IsString()
  CORS_ORIGINS = '';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBool)
  DOCS_ENABLED = true;

  // Bound on graceful shutdown: in-flight requests and active jobs get this long.
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_TIMEOUT_MS = 20_000;
}

export class DatabaseConfig {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/butler_crm';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  // Campaign sending holds a connection per message in flight (up to 20 per worker process).
  DATABASE_POOL_SIZE = 20;

  // Create the database if missing and run pending migrations at start.
  @Transform(toBool)
  DATABASE_MIGRATE_ON_START = true;

  // Load the demo team, catalog and clients at start (idempotent). Default: on when
  // NODE_ENV=development (a newcomer's `npm start`), off otherwise.
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  DEMO_DATA: boolean | undefined = undefined;
}

export class RedisConfig {
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  // BullMQ key prefix: lets several deployments (or test runs) share one Redis.
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'QUEUE_PREFIX must be 1-40 letters, digits, _ or -' })
  QUEUE_PREFIX = 'butler';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  WORKER_CONCURRENCY = 5;
}

export class MailConfig {
  // Unset: messages are written as .eml files to OUTBOX_DIR instead of being sent.
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL: string | undefined = undefined;

  @IsString()
  @MinLength(3)
  MAIL_FROM = '白酒管家 <no-reply@butler-crm.local>';

  @IsString()
  OUTBOX_DIR = 'var/outbox';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  MAIL_MAX_ATTEMPTS = 8;

  // First retry delay; each later one doubles.
  @Type(() => Number)
  @IsInt()
  @Min(10)
  MAIL_BACKOFF_MS = 15_000;

  // How often the reconciler re-queues pending messages that Redis may have lost.
  @Type(() => Number)
  @IsInt()
  @Min(500)
  OUTBOX_RECONCILE_MS = 60_000;
}

export class AuthConfig {
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string | undefined = undefined;

  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  JWT_TTL_SECONDS = 8 * 3600;

  @IsEmail()
  ADMIN_EMAIL = 'admin@butler.local';

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  @MaxLength(200)
  ADMIN_PASSWORD: string | undefined = undefined;

  // Login attempts per IP per minute (per API process).
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  // Survey page submissions and views per IP per minute (public, token-guessing defence).
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SURVEY_RATE_LIMIT = 30;
}

export const DEV_JWT_SECRET = 'dev-only-secret-change-me-dev-only-secret-change-me';
export const DEV_ADMIN_PASSWORD = 'butler-admin-2026';

export interface AppConfigValues {
  http: HttpConfig;
  database: DatabaseConfig;
  redis: RedisConfig;
  mail: MailConfig;
  auth: AuthConfig & { JWT_SECRET: string; ADMIN_PASSWORD: string };
  // Defaults that stand in for unset secrets; main.ts warns about them.
  devDefaults: string[];
}

export class ConfigValidationError extends Error {}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((message) => {
      const value = e.value === undefined ? '' : ` (got ${JSON.stringify(e.value)})`;
      return `${message}${/SECRET|PASSWORD/.test(e.property) ? '' : value}`;
    }),
  );
}

function load<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv, problems: string[]): T {
  const defaults = new cls();
  const picked: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const key of Object.keys(defaults)) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') picked[key] = raw;
  }
  const instance = plainToInstance(cls, picked);
  problems.push(...describe(validateSync(instance, { forbidUnknownValues: false })));
  return instance;
}

// Reads and validates the whole configuration; throws one error naming every bad variable.
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfigValues {
  const problems: string[] = [];
  const http = load(HttpConfig, env, problems);
  const database = load(DatabaseConfig, env, problems);
  const redis = load(RedisConfig, env, problems);
  const mail = load(MailConfig, env, problems);
  const auth = load(AuthConfig, env, problems);
  const devDefaults: string[] = [];
  if (!auth.JWT_SECRET) {
    if (http.NODE_ENV === 'production') problems.push('JWT_SECRET is required when NODE_ENV=production');
    auth.JWT_SECRET = DEV_JWT_SECRET;
    devDefaults.push('JWT_SECRET');
  }
  if (!auth.ADMIN_PASSWORD) {
    auth.ADMIN_PASSWORD = DEV_ADMIN_PASSWORD;
    devDefaults.push('ADMIN_PASSWORD');
  }
  database.DEMO_DATA ??= http.NODE_ENV === 'development';
  if (problems.length > 0) {
    throw new ConfigValidationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    http,
    database,
    redis,
    mail,
    auth: auth as AuthConfig & { JWT_SECRET: string; ADMIN_PASSWORD: string },
    devDefaults,
  };
}
