import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';

import { createApi } from '../../apps/api/src/create-api';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './test-env';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
}

export interface Caller {
  get<T = any>(url: string): Promise<HttpResult<T>>;
  post<T = any>(url: string, body?: unknown): Promise<HttpResult<T>>;
  patch<T = any>(url: string, body?: unknown): Promise<HttpResult<T>>;
  put<T = any>(url: string, body?: unknown): Promise<HttpResult<T>>;
  delete<T = any>(url: string): Promise<HttpResult<T>>;
}

export interface TestApp {
  app: NestFastifyApplication;
  db: DataSource;
  anonymous: Caller;
  as(token: string): Caller;
  login(email: string, password: string): Promise<string>;
  adminToken(): Promise<string>;
  createUser(
    token: string,
    user: { role: 'admin' | 'manager' | 'butler'; managerId?: string; name?: string },
  ): Promise<{ id: string; email: string; token: string }>;
  close(): Promise<void>;
}

export async function request(
  app: NestFastifyApplication,
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; remoteAddress?: string } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers,
    payload:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : (options.body as object),
    remoteAddress: options.remoteAddress,
  });
  let body: unknown = res.body;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.statusCode, body, headers: res.headers, text: res.body };
}

function caller(app: NestFastifyApplication, token?: string): Caller {
  return {
    get: (url) => request(app, 'GET', url, { token }),
    post: (url, body) => request(app, 'POST', url, { token, body: body ?? {} }),
    patch: (url, body) => request(app, 'PATCH', url, { token, body: body ?? {} }),
    put: (url, body) => request(app, 'PUT', url, { token, body: body ?? {} }),
    delete: (url) => request(app, 'DELETE', url, { token }),
  };
}

// Boots the same application main.ts runs, against the run's database and Redis prefix.
export async function bootApp(
  options: { withWorkers?: boolean; env?: Record<string, string | undefined> } = {},
): Promise<TestApp> {
  const saved: Record<string, string | undefined> = {};
  // Each app gets its own queue prefix, so workers of one test file never take another's jobs.
  const env = { QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-${randomUUID().slice(0, 8)}`, ...options.env };
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  let app: NestFastifyApplication;
  try {
    app = await createApi({ withWorkers: options.withWorkers ?? false });
    try {
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
    } catch (error) {
      // A boot that fails (a test of a refused configuration) must not leave connections open.
      await app.close().catch(() => undefined);
      throw error;
    }
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const login = async (email: string, password: string): Promise<string> => {
    const res = await request(app, 'POST', '/api/v1/auth/login', { body: { email, password } });
    if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${res.text}`);
    return res.body.accessToken as string;
  };
  let admin: string | undefined;
  return {
    app,
    db: app.get(DataSource),
    anonymous: caller(app),
    as: (token) => caller(app, token),
    login,
    adminToken: async () => (admin ??= await login(ADMIN_EMAIL, ADMIN_PASSWORD)),
    async createUser(token, user) {
      const email = `${user.role}-${randomUUID().slice(0, 8)}@test.local`;
      const password = 'password-123';
      const res = await request(app, 'POST', '/api/v1/users', {
        token,
        body: {
          email,
          name: user.name ?? `${user.role} ${email.slice(0, 12)}`,
          role: user.role,
          managerId: user.managerId,
          password,
        },
      });
      if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${res.text}`);
      return { id: res.body.id as string, email, token: await login(email, password) };
    },
    close: () => app.close(),
  };
}

export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const started = Date.now();
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}
