import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';
import { Client } from 'pg';

import { realClockEnv } from '../../test/support/test-env';
import {
  Cleanup,
  dropStaleScratchDatabases,
  freePort,
  procMemoryMiB,
  sleep,
  stopChild,
  withAdmin as withAdminAs,
} from '../kit';
import type { Delivery, SinkReply, SinkRequest, SinkStats } from './smtp-sink';

// The chaos run's own services and processes: a scratch PostgreSQL database (owned by a
// non-superuser role), a private redis-server, the SMTP sink, the API and worker processes from
// dist/, and the cleanup that undoes all of it. Nothing here touches the machine's shared Redis.

export const ROOT = join(__dirname, '..', '..');
export const LOOPBACK = '127.0.0.1';
export const APP_ROLE = 'butler_chaos';
const DB_PREFIX = 'butler_chaos_';

export type Log = (line: string) => void;

export { Cleanup, freePort, sleep, stopChild };

// ── PostgreSQL ──────────────────────────────────────────────────────────────

const withAdmin = <T>(superuserUrl: string, work: (client: Client) => Promise<T>): Promise<T> =>
  withAdminAs(superuserUrl, work, 'butler-chaos');

export function withDatabase(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user !== undefined) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
}

// A fresh database owned by a non-superuser role (as test/support/global-setup.ts does), after
// dropping scratch databases that earlier runs left behind (their process gone, nobody connected).
// Returns the app's URL (as that role).
export async function createScratchDatabase(
  superuserUrl: string,
  name: string,
  cleanup: Cleanup,
  log: Log,
): Promise<string> {
  await withAdmin(superuserUrl, async (admin) => {
    await dropStaleScratchDatabases(admin, DB_PREFIX, log);
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
    if (role.rowCount === 0) {
      await admin
        .query(`CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`)
        .catch((error: { code?: string }) => {
          if (error.code !== '42710') throw error; // created meanwhile by a parallel run
        });
    }
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}" OWNER ${APP_ROLE}`);
  });
  cleanup.add(`drop the scratch database ${name}`, () =>
    withAdmin(superuserUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  );
  return withDatabase(superuserUrl, name, APP_ROLE);
}

export function scratchDatabaseName(): string {
  return `${DB_PREFIX}${process.pid}`;
}

// ── the private Redis ───────────────────────────────────────────────────────

// A redis-server of our own on a spare loopback port, without persistence: a restart loses
// every key, as the crash of a cache-only Redis does.
export class PrivateRedis {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'butler-chaos-redis-'));
  port = 0;

  constructor(
    private readonly cleanup: Cleanup,
    private readonly binary: string,
  ) {
    cleanup.add('stop the private Redis', async () => {
      await this.kill();
      rmSync(this.dir, { recursive: true, force: true });
    });
  }

  get url(): string {
    return `redis://${LOOPBACK}:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    let output = '';
    const child = spawn(
      this.binary,
      [
        '--port',
        String(this.port),
        '--bind',
        LOOPBACK,
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
        '--maxmemory-policy',
        'noeviction',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: realClockEnv() },
    );
    child.once('error', (error) => {
      output += `\n${error.message}`;
    });
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-2_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.cleanup.track(child);
    this.child = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `redis-server (${this.binary}) exited at start: ${output.trim() || `code ${child.exitCode}`}. Install ` +
            'Redis (apt-get install redis-server) or set CHAOS_REDIS_SERVER.',
        );
      }
      if (await this.ping()) return;
      if (Date.now() > deadline)
        throw new Error(`redis-server did not answer on port ${this.port} within 10 s: ${output}`);
      await sleep(50);
    }
  }

  // A crash: SIGKILL, nothing saved.
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async ping(): Promise<boolean> {
    const client = new Redis({
      host: LOOPBACK,
      port: this.port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 500,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }

  async dbsize(): Promise<number> {
    const client = new Redis({
      host: LOOPBACK,
      port: this.port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.dbsize();
    } finally {
      client.disconnect();
    }
  }

  // How many BullMQ workers of a queue are connected (BullMQ names its worker connections).
  async workers(prefix: string, queue: string): Promise<number> {
    const client = new Redis({
      host: LOOPBACK,
      port: this.port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const list = (await client.client('LIST')) as string;
      const name = `${prefix}:${Buffer.from(queue).toString('base64')}`;
      return list
        .split('\n')
        .map((line) => / name=(\S*)/.exec(line)?.[1])
        .filter((n) => n === name || n?.startsWith(`${name}:w:`)).length;
    } catch {
      return 0;
    } finally {
      client.disconnect();
    }
  }
}

// ── the SMTP sink ───────────────────────────────────────────────────────────

export interface SinkHandle {
  port: number;
  config: (options: { refuseShare?: number; ratePerSecond?: number }) => Promise<void>;
  stats: () => Promise<SinkStats>;
  deliveries: () => Promise<Delivery[]>;
}

export async function startSink(cleanup: Cleanup): Promise<SinkHandle> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'smtp-sink.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  cleanup.track(child);
  cleanup.add('stop the SMTP sink', () => stopChild(child, 2_000));
  let output = '';
  // A send on a closed channel is reported here (ask() has already refused it).
  child.on('error', (error) => {
    output += `\n${error.message}`;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2_000);
  });
  const waiters: ((reply: SinkReply) => void)[] = [];
  child.on('message', (reply: SinkReply) => waiters.shift()?.(reply));
  const next = (timeoutMs: number, what: string): Promise<SinkReply> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null) return reject(new Error(`the SMTP sink exited with ${child.exitCode}:\n${output}`));
      const timer = setTimeout(
        () => reject(new Error(`the SMTP sink did not answer ${what} within ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      waiters.push((reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  const ready = await next(30_000, 'ready');
  if (ready.type !== 'ready') throw new Error(`the SMTP sink said ${ready.type} first`);
  const ask = async (request: SinkRequest, timeoutMs = 10_000): Promise<SinkReply> => {
    if (!child.connected) throw new Error(`the SMTP sink is gone (${child.exitCode ?? child.signalCode}):\n${output}`);
    const reply = next(timeoutMs, request.cmd);
    child.send(request);
    return reply;
  };
  return {
    port: ready.port,
    config: async (options) => {
      await ask({ cmd: 'config', ...options });
    },
    stats: async () => {
      const reply = await ask({ cmd: 'stats' });
      if (reply.type !== 'stats') throw new Error(`the SMTP sink answered ${reply.type} to stats`);
      return reply.stats;
    },
    deliveries: async () => {
      const reply = await ask({ cmd: 'deliveries' }, 60_000);
      if (reply.type !== 'deliveries') throw new Error(`the SMTP sink answered ${reply.type} to deliveries`);
      return reply.deliveries;
    },
  };
}

// ── the app's processes ─────────────────────────────────────────────────────

export interface AppProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  startedAt: number;
  output: () => string;
  // Lines the app logged at level error or fatal (pino JSON, level ≥ 50).
  errors: string[];
  running: () => boolean;
  // The process's inspector (it starts with --inspect on a free loopback port), once it said where.
  inspector: () => string | null;
}

// What the app's processes get from this process's environment: only what a shell needs. Every
// setting of the app is given explicitly, so a caller's DATABASE_URL, REDIS_URL or QUEUE_PREFIX
// (jest's e2e setup exports its own) never leaks in.
function baseEnv(): Record<string, string> {
  // libfaketime's variables too: under `faketime` the API and workers share the driver's clock
  // (only the services, redis-server and PostgreSQL, stay on the machine's).
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'NODE_OPTIONS', 'LD_PRELOAD'];
  return Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => keep.includes(k) || k.startsWith('FAKETIME'))
      .map((k) => [k, process.env[k] as string]),
  );
}

export function startApp(
  name: string,
  entry: 'api' | 'worker',
  env: Record<string, string>,
  cleanup: Cleanup,
): AppProcess {
  const errors: string[] = [];
  const script =
    entry === 'api'
      ? join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js')
      : join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');
  // The inspector on a free loopback port lets the run measure the live heap after a full GC.
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', script], {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.on('error', (error) => errors.push(`spawn: ${error.message}`));
  cleanup.track(child);
  let inspector: string | null = null;
  // Active jobs finish on SIGTERM (bounded by SHUTDOWN_TIMEOUT_MS).
  cleanup.add(`stop ${name}`, () => stopChild(child, 15_000));
  let output = '';
  let partial = '';
  const keep = (chunk: Buffer): void => {
    const text = chunk.toString();
    output = (output + text).slice(-8_000);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      inspector ??= /Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1] ?? null;
      const level = /"level":(\d+)/.exec(line);
      if (level && Number(level[1]) >= 50 && errors.length < 200) errors.push(line.slice(0, 600));
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    name,
    child,
    pid: child.pid ?? 0,
    startedAt: Date.now(),
    output: () => output,
    errors,
    running: () => child.exitCode === null && child.signalCode === null,
    inspector: () => inspector,
  };
}

export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  proc: AppProcess | null,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (proc && !proc.running())
      throw new Error(
        `${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) while waiting for ` +
          `${what}:\n${proc.output()}`,
      );
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${proc ? `:\n${proc.output()}` : ''}`);
    await sleep(200);
  }
}

// ── memory ──────────────────────────────────────────────────────────────────

export interface RssSample {
  at: number;
  mib: number;
}

export const rssMiB = (pid: number): number | null => procMemoryMiB(pid, 'VmRSS');

// V8's heap in use right after a full collection, asked through the process's inspector (Chrome
// DevTools Protocol over Node's WebSocket): what the process really keeps, unlike the resident set,
// which grows for a minute or more while V8 postpones its first full collections.
export async function liveHeapMiB(url: string, timeoutMs = 10_000): Promise<number | null> {
  const socket = new WebSocket(url);
  const pending = new Map<number, (result: Record<string, unknown>) => void>();
  let nextId = 0;
  const call = (method: string): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method }));
    });
  socket.addEventListener('message', (event: MessageEvent) => {
    const reply = JSON.parse(String(event.data)) as { id?: number; result?: Record<string, unknown> };
    if (reply.id !== undefined) pending.get(reply.id)?.(reply.result ?? {});
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const measure = async (): Promise<number | null> => {
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve());
      socket.addEventListener('error', () => reject(new Error('inspector unreachable')));
    });
    await call('HeapProfiler.collectGarbage');
    const usage = await call('Runtime.getHeapUsage');
    return typeof usage.usedSize === 'number' ? usage.usedSize / 1024 / 1024 : null;
  };
  try {
    return await Promise.race([measure(), timeout]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    socket.close();
  }
}

// Resident set of each tracked process every second (/proc/<pid>/status), and its live heap after
// a full collection every HEAP_EVERY_MS (a forced collection costs the process tens of ms).
export const HEAP_EVERY_MS = 3_000;

export class MemorySampler {
  readonly samples = new Map<string, RssSample[]>();
  readonly heap = new Map<string, RssSample[]>();
  private readonly procs = new Map<string, AppProcess>();
  private readonly timer: NodeJS.Timeout;
  private readonly heapTimer: NodeJS.Timeout;
  private measuring = false;

  constructor() {
    this.timer = setInterval(() => this.sample(), 1_000);
    this.timer.unref();
    this.heapTimer = setInterval(() => void this.sampleHeap(), HEAP_EVERY_MS);
    this.heapTimer.unref();
  }

  track(proc: AppProcess): void {
    this.procs.set(proc.name, proc);
    this.samples.set(proc.name, this.samples.get(proc.name) ?? []);
    this.heap.set(proc.name, this.heap.get(proc.name) ?? []);
  }

  untrack(name: string): void {
    this.procs.delete(name);
  }

  sample(): void {
    const at = Date.now();
    for (const [name, proc] of this.procs) {
      const mib = rssMiB(proc.pid);
      if (mib !== null) this.samples.get(name)?.push({ at, mib });
    }
  }

  async sampleHeap(): Promise<void> {
    if (this.measuring) return;
    this.measuring = true;
    try {
      for (const [name, proc] of this.procs) {
        const url = proc.inspector();
        if (!url || !proc.running()) continue;
        const at = Date.now();
        const mib = await liveHeapMiB(url);
        if (mib !== null && this.procs.has(name)) this.heap.get(name)?.push({ at, mib });
      }
    } finally {
      this.measuring = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.heapTimer);
  }
}
