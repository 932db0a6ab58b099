import { createHash, randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { AppConfig } from '@app/config';
import { LimitsRedis } from '@app/queue';
import { SettingsService, WecomConnection } from '@app/settings';

import { TOKEN_ERRCODES, WecomApiError, WecomNotConfiguredError, WecomUnreachableError } from './wecom-errors';

// Which of the corp's secrets a call is made with: the 客户联系 secret (external contacts, 群发,
// transfers) or the self-built app's (JS-SDK tickets, OAuth).
export type WecomApp = 'contact' | 'agent';

// Every WeCom answer carries these; errcode 0 is success.
export interface WecomAnswer {
  errcode?: number;
  errmsg?: string;
}

type Query = Record<string, string | number | undefined>;

// A token is kept until this long before WeCom's expires_in (7200 s), so none is used as it expires.
const TOKEN_MARGIN_S = 300;
// How long one process may hold the refresh lock; others wait for its token meanwhile.
const LOCK_MS = 15_000;
const WAIT_STEP_MS = 100;
// Deletes a key only while it still holds the value given (a lock we own, a token WeCom refused).
const RELEASE_SCRIPT =
  `if redis.call('get', KEYS[1]) == ARGV[1] then ` + `return redis.call('del', KEYS[1]) else return 0 end`;

interface CachedToken {
  token: string;
  until: number;
}

// WeCom's server API (qyapi.weixin.qq.com, or WECOM_BASE_URL): GET/POST JSON with an access token
// per app. Tokens come from /cgi-bin/gettoken and are shared by every process through Redis until
// shortly before they expire; one process at a time refreshes (a Redis lock), the others wait for
// its token. A call refused for its token (40014, 42001, 40001) is made once more with a fresh
// one. errcode ≠ 0 throws WecomApiError; no answer throws WecomUnreachableError. With Redis away
// each process fetches and keeps its own token.
@Injectable()
export class WecomApiClient {
  private readonly logger = new Logger('WecomApi');
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly prefix: string;
  private readonly memory = new Map<string, CachedToken>();

  constructor(
    private readonly settings: SettingsService,
    private readonly redis: LimitsRedis,
    config: AppConfig,
  ) {
    this.baseUrl = config.wecom.WECOM_BASE_URL.replace(/\/$/, '');
    this.timeoutMs = config.wecom.WECOM_TIMEOUT_MS;
    this.prefix = `${config.redis.QUEUE_PREFIX}:wecom:token`;
  }

  async get<T extends object = Record<string, unknown>>(
    path: string,
    query: Query,
    app: WecomApp,
  ): Promise<T & WecomAnswer> {
    return this.withToken(app, path, (token) => this.request<T>('GET', path, { ...query, access_token: token }));
  }

  async post<T extends object = Record<string, unknown>>(
    path: string,
    body: unknown,
    app: WecomApp,
  ): Promise<T & WecomAnswer> {
    return this.withToken(app, path, (token) => this.request<T>('POST', path, { access_token: token }, body));
  }

  // The access token of `app`, from this process's memory, Redis, or WeCom (gettoken).
  async accessToken(app: WecomApp): Promise<string> {
    const connection = await this.connection(app);
    return this.token(app, connection);
  }

  // Forgets a token WeCom refused, here and (if it is still the one stored) in Redis.
  async dropToken(app: WecomApp, token: string): Promise<void> {
    const connection = await this.connection(app);
    const key = this.tokenKey(app, connection);
    if (this.memory.get(key)?.token === token) this.memory.delete(key);
    try {
      const redis = await this.redis.connection();
      await redis.eval(RELEASE_SCRIPT, 1, key, token);
    } catch {
      // Redis away: the memory copy is gone, which is all this process uses.
    }
  }

  private async withToken<T>(app: WecomApp, path: string, call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken(app);
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof WecomApiError) || !TOKEN_ERRCODES.has(error.errcode)) throw error;
      this.logger.warn(`${path}: token refused (errcode ${error.errcode}), fetching a new one`);
      await this.dropToken(app, token);
      return call(await this.accessToken(app));
    }
  }

  private async connection(app: WecomApp): Promise<WecomConnection> {
    const connection = await this.settings.wecomConnection();
    const secret = app === 'contact' ? connection.contactSecret : connection.agentSecret;
    const missing = [
      connection.corpId ? null : 'corpId',
      secret ? null : app === 'contact' ? 'contactSecret' : 'agentSecret',
    ].filter((m): m is string => m !== null);
    if (!connection.enabled || missing.length > 0) throw new WecomNotConfiguredError(missing);
    return connection;
  }

  // The cache key names the corp, the app and a fingerprint of the secret: a new secret in the
  // settings never uses a token fetched with the old one.
  private tokenKey(app: WecomApp, connection: WecomConnection): string {
    const secret = (app === 'contact' ? connection.contactSecret : connection.agentSecret) ?? '';
    const fingerprint = createHash('sha256').update(secret).digest('hex').slice(0, 16);
    return `${this.prefix}:${connection.corpId}:${app}:${fingerprint}`;
  }

  private async token(app: WecomApp, connection: WecomConnection): Promise<string> {
    const key = this.tokenKey(app, connection);
    const remembered = this.memory.get(key);
    if (remembered && remembered.until > Date.now()) return remembered.token;
    let redis;
    try {
      redis = await this.redis.connection();
    } catch {
      return this.fetchToken(app, connection, key);
    }
    const deadline = Date.now() + LOCK_MS + this.timeoutMs;
    const owner = randomUUID();
    for (;;) {
      const [stored, ttl] = await Promise.all([redis.get(key), redis.pttl(key)]).catch(() => [null, -2] as const);
      if (stored) {
        this.memory.set(key, { token: stored, until: Date.now() + Math.max(ttl, 0) });
        return stored;
      }
      const locked = await redis.set(`${key}:lock`, owner, 'PX', LOCK_MS, 'NX').catch(() => 'OK');
      if (locked === 'OK') {
        try {
          return await this.fetchToken(app, connection, key, redis);
        } finally {
          await redis.eval(RELEASE_SCRIPT, 1, `${key}:lock`, owner).catch(() => undefined);
        }
      }
      // Another process is refreshing: its token lands in Redis shortly.
      if (Date.now() > deadline) return this.fetchToken(app, connection, key);
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
  }

  private async fetchToken(
    app: WecomApp,
    connection: WecomConnection,
    key: string,
    redis?: Awaited<ReturnType<LimitsRedis['connection']>>,
  ): Promise<string> {
    const secret = (app === 'contact' ? connection.contactSecret : connection.agentSecret) ?? '';
    let answer: WecomAnswer & { access_token?: string; expires_in?: number };
    try {
      answer = await this.request<{ access_token?: string; expires_in?: number }>('GET', '/cgi-bin/gettoken', {
        corpid: connection.corpId ?? '',
        corpsecret: secret,
      });
    } catch (error) {
      if (error instanceof WecomApiError)
        throw new WecomApiError(error.errcode, error.errmsg, '/cgi-bin/gettoken', true);
      throw error;
    }
    if (!answer.access_token)
      throw new WecomApiError(answer.errcode ?? -1, 'gettoken answered no access_token', '/cgi-bin/gettoken', true);
    const lifeS = Math.max((answer.expires_in ?? 7200) - TOKEN_MARGIN_S, 60);
    this.memory.set(key, { token: answer.access_token, until: Date.now() + lifeS * 1000 });
    await redis?.set(key, answer.access_token, 'EX', lifeS).catch(() => undefined);
    return answer.access_token;
  }

  private async request<T extends object>(
    method: 'GET' | 'POST',
    path: string,
    query: Query,
    body?: unknown,
  ): Promise<T & WecomAnswer> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}?${params.toString()}`, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new WecomUnreachableError(path, cause);
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 500 || response.status === 429)
      throw new WecomUnreachableError(path, `HTTP ${response.status}`);
    let answer: T & WecomAnswer;
    try {
      answer = JSON.parse(text) as T & WecomAnswer;
    } catch {
      throw new WecomUnreachableError(path, `HTTP ${response.status}: not JSON`);
    }
    const errcode = Number(answer.errcode ?? 0);
    if (errcode !== 0) throw new WecomApiError(errcode, String(answer.errmsg ?? ''), path);
    return answer;
  }
}
