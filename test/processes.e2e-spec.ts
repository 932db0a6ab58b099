import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';
import { Client } from 'pg';

import { SmtpSink } from './support/smtp-sink';
import { realClockEnv, superuserUrl } from './support/test-env';

// The real entry points as a newcomer and an operator run them: `npm start` on an empty machine
// (database created, migrated, admin seeded, mail in var/outbox) and API + worker as separate
// processes for scale-out, each stopping cleanly on SIGTERM.
const root = join(__dirname, '..');

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(role: string, env: Record<string, string | undefined>): Proc {
  // ENV_FILE: a developer's own .env in the checkout must not reach the tests' processes.
  const clean = Object.fromEntries(
    Object.entries({ ENV_FILE: '/nonexistent/.env', ...process.env, ...env }).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.js'), role], {
    cwd: root,
    env: clean,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  proc: Proc,
  timeoutMs = 90_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (proc.child.exitCode !== null) throw new Error(`process exited while waiting for ${what}:\n${proc.output()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stop(proc: Proc): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const started = Date.now();
  proc.child.kill('SIGTERM');
  const result = await proc.exited;
  return { ...result, ms: Date.now() - started };
}

const stoppedCleanly = (r: { code: number | null; signal: NodeJS.Signals | null }) =>
  r.code === 0 || r.signal === 'SIGTERM';

async function login(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function health(base: string): Promise<true | undefined> {
  const res = await fetch(`${base}/health`);
  return res.status === 200 ? true : undefined;
}

describe('processes', () => {
  const database = `butler_proc_${process.env.TEST_RUN_ID}`;
  const running: Proc[] = [];

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    const admin = new Client({ connectionString: superuserUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS "${database}_seeded" WITH (FORCE)`);
    await admin.end();
  });

  it(
    'npm start: creates and migrates the database, ' + 'seeds the admin, sends mail to var/outbox, stops on SIGTERM',
    async () => {
      const port = await freePort();
      const outbox = mkdtempSync(join(tmpdir(), 'butler-start-'));
      const env = {
        PORT: String(port),
        DATABASE_URL: superuserUrl(database),
        OUTBOX_DIR: outbox,
        SMTP_URL: undefined,
        ADMIN_EMAIL: undefined,
        ADMIN_PASSWORD: undefined,
        JWT_SECRET: undefined,
        NODE_ENV: undefined,
        LOG_LEVEL: 'info',
        QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-proc`,
      };
      const base = `http://127.0.0.1:${port}`;
      const first = start('all', env);
      running.push(first);
      await waitFor('health', () => health(base), first);
      expect(first.output()).toContain('development password "butler-admin-2026"');
      expect(first.output()).toContain('JWT_SECRET is not set');

      const token = await login(base, 'admin@butler.local', 'butler-admin-2026');
      const sent = await fetch(`${base}/api/v1/admin/test-email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ to: 'newcomer@example.com' }),
      });
      expect(sent.status).toBe(202);
      const file = await waitFor('outbox file', async () => readdirSync(outbox).find((f) => f.endsWith('.eml')), first);
      expect(file).toMatch(/\.eml$/);
      const docs = await fetch(`${base}/docs/openapi.json`);
      expect(docs.status).toBe(200);

      const stopped = await stop(first);
      expect(stoppedCleanly(stopped)).toBe(true);
      expect(stopped.ms).toBeLessThan(20_000);

      // A second start finds the admin and prints no password.
      const second = start('all', env);
      running.push(second);
      await waitFor('health', () => health(base), second);
      expect(second.output()).not.toContain('development password');
      expect(stoppedCleanly(await stop(second))).toBe(true);
    },
  );

  const sink = new SmtpSink();
  beforeAll(async () => {
    await sink.start();
  });
  afterAll(async () => {
    await sink.stop();
  });

  it('scale-out: an API-only process queues, a separate worker process sends', async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_URL: superuserUrl(database),
      SMTP_URL: sink.url,
      ADMIN_EMAIL: undefined,
      ADMIN_PASSWORD: undefined,
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-scale`,
    };
    const base = `http://127.0.0.1:${port}`;
    const api = start('api', env);
    running.push(api);
    await waitFor('health', () => health(base), api);
    const token = await login(base, 'admin@butler.local', 'butler-admin-2026');
    const res = await fetch(`${base}/api/v1/admin/test-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ to: 'scale@example.com' }),
    });
    expect(res.status).toBe(202);
    // Nothing is sent while no worker runs.
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.to('scale@example.com')).toHaveLength(0);

    const worker = start('worker', env);
    running.push(worker);
    await waitFor('delivery', async () => (sink.to('scale@example.com').length > 0 ? true : undefined), worker);
    expect(worker.output()).toContain('Worker started');
    expect(api.output()).toContain('API only');

    expect(stoppedCleanly(await stop(worker))).toBe(true);
    expect(stoppedCleanly(await stop(api))).toBe(true);
    expect(sink.to('scale@example.com')).toHaveLength(1);
  });

  it('seed:demo on an empty machine, then start: the demo team and the admin can both sign in', async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_URL: superuserUrl(`${database}_seeded`),
      ADMIN_EMAIL: undefined,
      ADMIN_PASSWORD: undefined,
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-seeded`,
    };
    const seed = start('seed', env);
    running.push(seed);
    expect((await seed.exited).code).toBe(0);
    expect(seed.output()).toContain('"customers":200');

    const api = start('api', env);
    running.push(api);
    const base = `http://127.0.0.1:${port}`;
    await waitFor('health', () => health(base), api);
    expect(await login(base, 'admin@butler.local', 'butler-admin-2026')).toBeTruthy();
    expect(await login(base, 'butler1@demo.butler.local', 'demo-butler-2026')).toBeTruthy();
    expect(stoppedCleanly(await stop(api))).toBe(true);
  });
  // Found on a fresh machine: `npm start` with no PostgreSQL running printed a stack trace.
  it(
    'npm start with PostgreSQL and Redis unreachable says which, ' + 'where, and how to start them, in one line each',
    async () => {
      const port = await freePort();
      const api = start('all', {
        DATABASE_URL: `postgres://butler:s3cret@127.0.0.1:${port}/butler_crm`,
        REDIS_URL: `redis://127.0.0.1:${port}`,
        PORT: String(await freePort()),
      });
      const { code } = await api.exited;
      const output = api.output();
      expect(code).toBe(1);
      expect(output).toContain(
        `PostgreSQL is not reachable at postgres://butler:***@127.0.0.1:${port}/butler_crm (connect ECONNREFUSED`,
      );
      expect(output).toContain('docker compose up -d postgres redis');
      expect(output).toContain(`Redis is not reachable at redis://127.0.0.1:${port}`);
      expect(output).not.toContain('s3cret');
      expect(output).not.toMatch(/\n\s+at /);
      // Alone, it may be the file's first `npm start`, which builds dist/ first.
    },
    180_000,
  );
  // A fresh machine with the packages installed but nothing running: `npm run services` starts a
  // private PostgreSQL and Redis for the checkout (here on spare ports and in a scratch folder).
  it('npm run services starts PostgreSQL and Redis from the installed binaries, and stops them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'butler-services-'));
    chmodSync(dir, 0o755);
    const env = {
      ...realClockEnv(),
      SERVICES_DIR: join(dir, 'svc'),
      SERVICES_PG_PORT: String(await freePort()),
      SERVICES_REDIS_PORT: String(await freePort()),
    };
    const services = (command: string) =>
      execFileSync(process.execPath, [join(root, 'scripts', 'services.js'), command], {
        env,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    try {
      expect(services('start')).toMatch(/PostgreSQL: started on 127\.0\.0\.1:\d+[\s\S]*Redis: started/);
      const pg = new Client({ connectionString: `postgres://postgres@127.0.0.1:${env.SERVICES_PG_PORT}/postgres` });
      await pg.connect();
      expect((await pg.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await pg.end();
      const redis = new Redis({ port: Number(env.SERVICES_REDIS_PORT), host: '127.0.0.1', lazyConnect: true });
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
      redis.disconnect();
      expect(services('start')).toContain('already answers');
    } finally {
      services('stop');
      rmSync(dir, { recursive: true, force: true });
    }
    expect(services('status')).toMatch(/PostgreSQL .*: down\nRedis .*: down/);
  });
});
