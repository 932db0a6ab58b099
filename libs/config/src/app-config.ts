import 'reflect-metadata';

import { hkdfSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

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

// true|false|1|0 (any case); anything else stays a string and fails @IsBoolean() naming the variable
// (DOCS_ENABLED=maybe is a boot error, not a silent false).
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  return word === 'true' || word === '1' ? true : word === 'false' || word === '0' ? false : value;
};
const BOOL_MESSAGE = { message: ({ property }: { property: string }) => `${property} must be true, false, 1 or 0` };

// TRUST_PROXY: empty or false (the default: no proxy, the socket's address is the client's), a hop
// count (1 = one proxy in front), or a comma-separated list of proxy addresses or CIDRs.
export type TrustProxy = false | number | string[];
export function parseTrustProxy(value: string): TrustProxy {
  const raw = value.trim();
  if (raw === '' || raw.toLowerCase() === 'false' || raw === '0') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
const TRUST_PROXY_PATTERN = /^(|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/;

// A duration written with its unit (ms, s, m, h, d), in milliseconds.
const DURATION_PATTERN = /^\d{1,9}(ms|s|m|h|d)$/;
const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export function durationMs(value: string): number {
  const [, amount, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(value) ?? [];
  if (!unit) throw new Error(`Not a duration: ${value}`);
  return Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
}

export class HttpConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  // Default: loopback, except in production. The development server has demo accounts with a
  // published password and must not listen on every interface unless asked (HOST=0.0.0.0).
  @IsOptional()
  @IsString()
  HOST: string | undefined = undefined;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  // Comma-separated origins; empty keeps CORS off.
  @IsString()
  CORS_ORIGINS = '';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  // Swagger UI and /docs/openapi.json; default on except when NODE_ENV=production.
  @IsOptional()
  @Transform(toBool)
  @IsBoolean(BOOL_MESSAGE)
  DOCS_ENABLED: boolean | undefined = undefined;

  // Which proxies may set X-Forwarded-For (see parseTrustProxy). Trusting every hop would let a
  // client choose its own address and walk past the per-IP limits.
  @Matches(TRUST_PROXY_PATTERN, {
    message: 'TRUST_PROXY must be empty, false, a hop count, or a comma-separated list of addresses or CIDRs',
  })
  TRUST_PROXY = '';

  // The client-book import: the most a file may hold (bytes, multipart or text/csv; data rows).
  // Far above any real book (100,000 clients is about 15 MB); files are streamed, never held in
  // memory, so these only bound how long one request may run. Over either: 413.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  IMPORT_MAX_MB = 512;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  IMPORT_MAX_ROWS = 1_000_000;

  // Bearer token for GET /metrics; unset: /metrics answers loopback clients only.
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN: string | undefined = undefined;

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
  // Sending holds a connection only for a message's claim and its mark, never during the send.
  DATABASE_POOL_SIZE = 20;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  // The sending lanes' own pool (worker processes only), apart from the API's: a campaign's claims
  // and marks never wait behind, nor hold up, the API's queries.
  OUTBOX_POOL_SIZE = 5;

  // Create the database if missing and run pending migrations at start.
  @Transform(toBool)
  @IsBoolean(BOOL_MESSAGE)
  DATABASE_MIGRATE_ON_START = true;

  // Load the demo team, catalog and clients at start (idempotent). Default: on when
  // NODE_ENV=development (a newcomer's `npm start`), off otherwise.
  @IsOptional()
  @Transform(toBool)
  @IsBoolean(BOOL_MESSAGE)
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

  // How long a claimed message (status sending) is its worker's. A lease past this whose worker is
  // gone (no liveness key in Redis) goes back to pending; a live worker keeps its leases.
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  OUTBOX_LEASE_MS = 60_000;

  // While a channel's provider is unreachable (circuit open), one message probes it this often.
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(600_000)
  OUTBOX_PROBE_MS = 3_000;

  // An outage shorter than this fails no message (they wait, attempts unchanged); past it the
  // waiting messages are failed. A duration: 90s, 30m, 24h, 7d.
  @Matches(DURATION_PATTERN, { message: 'OUTBOX_MAX_OUTAGE must be a duration such as 90s, 30m, 24h or 7d' })
  OUTBOX_MAX_OUTAGE = '24h';
}

// SMS (docs/channels.md). SMS_PROVIDER=none: no SMS provider, an SMS message fails as "no provider".
export class SmsConfig {
  @IsIn(['none', 'aliyun', 'tencent'])
  SMS_PROVIDER: 'none' | 'aliyun' | 'tencent' = 'none';

  // Aliyun SMS (dysmsapi, RPC API version 2017-05-25). Tests point the base URL at a loopback fake.
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  SMS_ALIYUN_BASE_URL = 'https://dysmsapi.aliyuncs.com';

  @IsOptional()
  @IsString()
  SMS_ALIYUN_ACCESS_KEY_ID: string | undefined = undefined;

  @IsOptional()
  @IsString()
  SMS_ALIYUN_ACCESS_KEY_SECRET: string | undefined = undefined;

  // Tencent Cloud SMS (API 3.0, SendSms version 2021-01-11, TC3-HMAC-SHA256). Tests point the base
  // URL at a loopback fake.
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  SMS_TENCENT_BASE_URL = 'https://sms.tencentcloudapi.com';

  @IsOptional()
  @IsString()
  SMS_TENCENT_SECRET_ID: string | undefined = undefined;

  @IsOptional()
  @IsString()
  SMS_TENCENT_SECRET_KEY: string | undefined = undefined;

  // The SMS application's SdkAppId (短信应用 ID, 10 digits, e.g. 1400006666).
  @IsOptional()
  @Matches(/^\d{10}$/, { message: 'SMS_TENCENT_SDK_APP_ID must be the 10-digit SdkAppId (e.g. 1400006666)' })
  SMS_TENCENT_SDK_APP_ID: string | undefined = undefined;

  // The region SendSms is called in (ap-guangzhou, ap-beijing or ap-nanjing).
  @IsIn(['ap-guangzhou', 'ap-beijing', 'ap-nanjing'])
  SMS_TENCENT_REGION = 'ap-guangzhou';

  // The approved signature (签名), without the brackets: 【SMS_SIGN_NAME】 opens every message.
  @IsOptional()
  @IsString()
  @MaxLength(20)
  SMS_SIGN_NAME: string | undefined = undefined;

  // A request to the provider that takes longer counts as an outage.
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  SMS_TIMEOUT_MS = 10_000;

  // Aliyun's HTTP push (receipts, uplinks) is not signed: the callback URLs carry this secret
  // (?token=). Unset: the callbacks answer 401.
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'SMS_CALLBACK_SECRET must be at least 16 characters' })
  SMS_CALLBACK_SECRET: string | undefined = undefined;

  // Callback requests per IP per minute (Aliyun pushes reports in batches).
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SMS_CALLBACK_RATE_LIMIT = 600;

  // Survey links sent by SMS: {SURVEY_SHORT_BASE_URL}{code}. Default PUBLIC_BASE_URL + '/s/'.
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  SURVEY_SHORT_BASE_URL: string | undefined = undefined;
}

// WeCom (企业微信 客户联系, docs/wecom.md). The corp's ids and secrets are admin settings (encrypted at
// rest with SETTINGS_ENCRYPTION_KEY); only where WeCom lives and how long to wait for it are here.
export class WecomConfig {
  // Tests point it at a loopback fake.
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  WECOM_BASE_URL = 'https://qyapi.weixin.qq.com';

  // A WeCom call taking longer counts as an outage of the channel.
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  WECOM_TIMEOUT_MS = 10_000;

  // How often the send results of open 群发 tasks are polled (get_groupmsg_send_result).
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  WECOM_POLL_MS = 300_000;
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

  // Login attempts per IP per minute, counted in Redis across every API process.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  // Failed logins per account (whatever the address) before it is refused for the rest of the window.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_ACCOUNT_FAILURES = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  LOGIN_ACCOUNT_WINDOW_MINUTES = 15;

  // Password hashes (argon2, 64 MiB and a thread each) computed at once per process; more logins
  // wait, and past PASSWORD_HASH_QUEUE waiting ones are answered 429. Keeps the thread pool (files,
  // DNS, crypto) free for everything else during a password flood.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(16)
  PASSWORD_HASH_CONCURRENCY = 2;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  PASSWORD_HASH_QUEUE = 20;

  // Answers per user and hour that reveal a record of another team exists (a 409 for its mobile
  // or orderRef, an import row outside the team), before they turn into 429s.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  EXISTENCE_PROBE_LIMIT = 30;

  // The key that encrypts secrets stored in settings (WeCom's secrets): 32 bytes as 64 hex digits
  // or base64. Required in production; changing it makes the stored secrets unreadable (re-enter them).
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, {
    message: 'SETTINGS_ENCRYPTION_KEY must be 32 bytes: 64 hex digits or 44 base64 characters',
  })
  SETTINGS_ENCRYPTION_KEY: string | undefined = undefined;

  // Survey page submissions and views per IP per minute (public, token-guessing defence), in Redis.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SURVEY_RATE_LIMIT = 30;
}

// A key for one purpose, derived from JWT_SECRET with HKDF (RFC 5869), so no two uses share a key:
// a MAC made for one purpose (an unsubscribe link) is worthless for another (a session token).
export type KeyPurpose = 'unsubscribe';
export function purposeKey(secret: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'butler-crm', `butler-crm:${purpose}`, 32));
}

export const DEV_JWT_SECRET = 'dev-only-secret-change-me-dev-only-secret-change-me';
export const DEV_ADMIN_PASSWORD = 'butler-admin-2026';
// Outside production only: anyone reading this file can decrypt what it encrypted.
export const DEV_SETTINGS_ENCRYPTION_KEY = '6465762d6f6e6c792d73657474696e67732d6b65792d6368616e67652d6d6521';

// The 32-byte key SETTINGS_ENCRYPTION_KEY names (hex or base64).
export function settingsKeyBytes(value: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

export interface AppConfigValues {
  http: HttpConfig;
  database: DatabaseConfig;
  redis: RedisConfig;
  mail: MailConfig;
  sms: SmsConfig & { SURVEY_SHORT_BASE_URL: string };
  wecom: WecomConfig;
  auth: AuthConfig & { JWT_SECRET: string; ADMIN_PASSWORD: string; SETTINGS_ENCRYPTION_KEY: string };
  // Defaults that stand in for unset secrets; main.ts warns about them.
  devDefaults: string[];
}

export class ConfigValidationError extends Error {}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((message) => {
      const value = e.value === undefined ? '' : ` (got ${JSON.stringify(e.value)})`;
      return `${message}${/SECRET|PASSWORD|KEY$/.test(e.property) ? '' : value}`;
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

// The variables of every concern, with their defaults (what .env.example lists).
export const CONFIG_CLASSES = [
  HttpConfig,
  DatabaseConfig,
  RedisConfig,
  MailConfig,
  SmsConfig,
  WecomConfig,
  AuthConfig,
] as const;

// `.env` in the working directory (or ENV_FILE), when present, read into the environment at start
// by the entry points; a variable already set in the environment wins. Node's own parser.
export function loadDotEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const path = env.ENV_FILE ?? '.env';
  if (!existsSync(path)) return null;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) env[key] ??= value;
  return path;
}

// Reads and validates the whole configuration; throws one error naming every bad variable.
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfigValues {
  const problems: string[] = [];
  const http = load(HttpConfig, env, problems);
  const database = load(DatabaseConfig, env, problems);
  const redis = load(RedisConfig, env, problems);
  const mail = load(MailConfig, env, problems);
  const sms = load(SmsConfig, env, problems);
  const wecom = load(WecomConfig, env, problems);
  const auth = load(AuthConfig, env, problems);
  const devDefaults: string[] = [];
  if (!auth.JWT_SECRET) {
    if (http.NODE_ENV === 'production') problems.push('JWT_SECRET is required when NODE_ENV=production');
    auth.JWT_SECRET = DEV_JWT_SECRET;
    devDefaults.push('JWT_SECRET');
  }
  if (!auth.SETTINGS_ENCRYPTION_KEY) {
    if (http.NODE_ENV === 'production') problems.push('SETTINGS_ENCRYPTION_KEY is required when NODE_ENV=production');
    auth.SETTINGS_ENCRYPTION_KEY = DEV_SETTINGS_ENCRYPTION_KEY;
    devDefaults.push('SETTINGS_ENCRYPTION_KEY');
  }
  if (!auth.ADMIN_PASSWORD) {
    auth.ADMIN_PASSWORD = DEV_ADMIN_PASSWORD;
    devDefaults.push('ADMIN_PASSWORD');
  }
  if (sms.SMS_PROVIDER === 'aliyun') {
    for (const key of ['SMS_ALIYUN_ACCESS_KEY_ID', 'SMS_ALIYUN_ACCESS_KEY_SECRET', 'SMS_SIGN_NAME'] as const)
      if (!sms[key]) problems.push(`${key} is required when SMS_PROVIDER=aliyun`);
  }
  if (sms.SMS_PROVIDER === 'tencent') {
    for (const key of [
      'SMS_TENCENT_SECRET_ID',
      'SMS_TENCENT_SECRET_KEY',
      'SMS_TENCENT_SDK_APP_ID',
      'SMS_SIGN_NAME',
    ] as const)
      if (!sms[key]) problems.push(`${key} is required when SMS_PROVIDER=tencent`);
  }
  sms.SURVEY_SHORT_BASE_URL ??= `${http.PUBLIC_BASE_URL.replace(/\/$/, '')}/s/`;
  database.DEMO_DATA ??= http.NODE_ENV === 'development';
  http.DOCS_ENABLED ??= http.NODE_ENV !== 'production';
  http.HOST ??= http.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1';
  if (problems.length > 0) {
    throw new ConfigValidationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    http,
    database,
    redis,
    mail,
    sms: sms as SmsConfig & { SURVEY_SHORT_BASE_URL: string },
    wecom,
    auth: auth as AuthConfig & { JWT_SECRET: string; ADMIN_PASSWORD: string; SETTINGS_ENCRYPTION_KEY: string },
    devDefaults,
  };
}
