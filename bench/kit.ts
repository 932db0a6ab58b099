import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import autocannon from 'autocannon';
import { Client } from 'pg';

import { AppConfigValues, loadConfig } from '@app/config';

// Shared by every bench/<name>.bench.ts. A benchmark module exports
//   run(ctx: BenchContext): Promise<BenchRow[]>
// and scripts/bench.js prints all rows as one table. Servers under test run as child processes
// (so the load generator does not share their event loop), on loopback only, and are stopped
// by the harness even when a benchmark throws or overruns.

export const ROOT = join(__dirname, '..');
export const LOOPBACK = '127.0.0.1';

export interface BenchRow {
  benchmark: string;
  figure: string;
  target: string;
  ceiling: string;
  // figure / ceiling, as text ('—' when there is no ceiling).
  ratio: string;
  // Whether the target is met; null when there is no target or the row was skipped.
  met: boolean | null;
}

export interface BenchContext {
  config: AppConfigValues;
  log: (line: string) => void;
}

export function benchContext(log: (line: string) => void = (line) => console.error(line)): BenchContext {
  return { config: loadConfig(), log };
}

export function skippedRow(benchmark: string, reason: string): BenchRow {
  return { benchmark, figure: `skipped: ${reason}`, target: '—', ceiling: '—', ratio: '—', met: null };
}

export async function machineLine(databaseUrl: string): Promise<string> {
  const cpu = cpus();
  let postgres = 'PostgreSQL ?';
  // The server's maintenance database: the app's may not exist yet on a fresh machine.
  const client = new Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  try {
    await client.connect();
    const version = (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
    postgres = `PostgreSQL ${version.split(' ')[0]}`;
  } catch {
    /* reported as unknown */
  } finally {
    await client.end().catch(() => undefined);
  }
  // The load average says whether something else was using the machine when the run started.
  return (
    `${cpu[0]?.model.trim() ?? 'unknown CPU'} · ${cpu.length} cores · ${(totalmem() / 2 ** 30).toFixed(1)} GiB ` +
    `RAM · node ${process.version} · ` +
    `${postgres} · ${process.platform}-${process.arch} · load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at start`
  );
}

// ── child processes ──────────────────────────────────────────────────────────

const children = new Set<ChildProcess>();

// Stops every server a benchmark started (the harness calls this after each one).
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => stop(child)));
}

// Last resort on harness exit: no server outlives it.
export function killAllNow(): void {
  for (const child of children) child.kill('SIGKILL');
}

export async function stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

export interface Server {
  process: ChildProcess;
  url: string;
  pid: number;
  // Recent output, for error messages.
  output: () => string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

// SIGTERM, then SIGKILL after graceMs; resolves once the child has exited.
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

// What a run set up, undone in reverse order, each step bounded and attempted whatever the others
// do; killNow() is the synchronous last resort (process 'exit'): no child outlives the run.
export class Cleanup {
  private readonly steps: { what: string; undo: () => Promise<unknown> }[] = [];
  private readonly children = new Set<ChildProcess>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly stepTimeoutMs = 40_000,
  ) {}

  add(what: string, undo: () => Promise<unknown>): void {
    this.steps.push({ what, undo });
  }

  // A child to SIGKILL if the run dies before its own step stops it.
  track(child: ChildProcess): void {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  // Tracks a child and adds the step that stops it; returns that stop, to call earlier.
  child(what: string, child: ChildProcess, graceMs: number): () => Promise<void> {
    this.track(child);
    const stop = (): Promise<void> => stopChild(child, graceMs);
    this.add(what, stop);
    return stop;
  }

  killNow(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }

  async run(): Promise<void> {
    for (const { what, undo } of this.steps.reverse()) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const limit = new Promise(
          (_, reject) =>
            (timer = setTimeout(
              () => reject(new Error(`timed out after ${this.stepTimeoutMs / 1000} s`)),
              this.stepTimeoutMs,
            )),
        );
        await Promise.race([undo(), limit]);
      } catch (error) {
        this.log(`cleanup: could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
      }
    }
    this.steps.length = 0;
    this.killNow();
  }
}

// Starts `node args…` and waits until GET readyPath answers (any status), at most timeoutMs.
export async function startServer(
  name: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
  timeoutMs = 60_000,
): Promise<Server> {
  let output = '';
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://${LOOPBACK}:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with ${child.exitCode} before it was ready:\n${output}`);
    try {
      await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(1_000) });
      return { process: child, url, pid: child.pid ?? 0, output: () => output };
    } catch {
      await sleep(200);
    }
  }
  await stop(child);
  throw new Error(`${name} was not ready after ${timeoutMs} ms:\n${output}`);
}

// The real API, HTTP only, as `npm run start:api` runs it (from dist/, built by the harness).
export async function startApi(ctx: BenchContext, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  return startServer(
    'API',
    [join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js')],
    {
      PORT: String(port),
      HOST: LOOPBACK,
      LOG_LEVEL: 'warn',
      DATABASE_URL: ctx.config.database.DATABASE_URL,
      // Its own BullMQ prefix: a benchmark never touches the dev queues.
      QUEUE_PREFIX: 'bench',
      // The bulk data set only: no demo team loaded beside it.
      DEMO_DATA: 'false',
      ...env,
    },
    port,
    '/health',
  );
}

// A TypeScript file of bench/ as its own process (ts-node, transpile only).
export function tsNodeArgs(file: string): string[] {
  return ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(ROOT, 'bench', file)];
}

// A memory figure of a process from /proc/<pid>/status (VmRSS: resident now; VmHWM: peak so far),
// in MiB; null where /proc is missing.
export function procMemoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

// Peak resident set of a process so far, in MiB.
export const peakRssMiB = (pid: number): number | null => procMemoryMiB(pid, 'VmHWM');

// ── HTTP ─────────────────────────────────────────────────────────────────────

export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (!res.ok || !body.accessToken) throw new Error(`login as ${email} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

export async function getJson(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  // Anything but a 2xx: non-2xx answers, socket errors, timeouts.
  failures: number;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections?: number;
  seconds?: number;
  // Fixed total request rate (req/s) instead of as fast as possible.
  rate?: number;
}

// autocannon, bounded: `seconds` of load and a 10 s per-request timeout.
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    headers: options.headers,
    connections: options.connections ?? 50,
    duration: options.seconds ?? 10,
    overallRate: options.rate,
    timeout: 10,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

// ── formatting ───────────────────────────────────────────────────────────────

export const fmtRps = (r: LoadResult): string =>
  `${Math.round(r.rps).toLocaleString('en-US')} req/s (p99 ${r.p99} ms)${failures(r)}`;
export const fmtP99 = (r: LoadResult): string =>
  `p99 ${r.p99} ms at ${Math.round(r.rps).toLocaleString('en-US')} req/s${failures(r)}`;
const failures = (r: LoadResult): string => (r.failures > 0 ? `, ${r.failures.toLocaleString('en-US')} failed` : '');
export const ratio = (figure: number, ceiling: number): string => (ceiling > 0 ? (figure / ceiling).toFixed(2) : '—');

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// A positive integer from an environment variable, or undefined.
export function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : undefined;
}

// The same server URL, another database.
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

// A superuser session on the server's maintenance database, closed after work.
export async function withAdmin<T>(
  url: string,
  work: (client: Client) => Promise<T>,
  applicationName = 'butler-bench',
): Promise<T> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres'), application_name: applicationName });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  await withAdmin(url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

// Scratch databases `<prefix><pid>` of earlier runs that died without cleaning up: named after a
// process that no longer exists here, and nobody connected to them (a live run holds a connection).
export async function dropStaleScratchDatabases(
  admin: Client,
  prefix: string,
  log: (line: string) => void,
): Promise<void> {
  const { rows } = await admin.query<{ datname: string; connections: string }>(
    `SELECT d.datname, (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = d.datname) AS connections
       FROM pg_database d WHERE d.datname ~ $1`,
    [`^${prefix}[0-9]+$`],
  );
  for (const row of rows) {
    const pid = Number(row.datname.slice(prefix.length));
    if (Number(row.connections) > 0 || pid === process.pid || alive(pid)) continue;
    await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    log(`dropped ${row.datname}, left by an earlier run`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Benchmarks that create and drop databases or flush keys refuse anything but loopback.
export function assertLoopback(url: string, name: string): void {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host))
    throw new Error(`${name} must be on loopback for this benchmark (got ${host})`);
}

// Drops the non-constraint indexes of these tables for a bulk load; returns their definitions
// to run again afterwards.
export async function dropSecondaryIndexes(
  db: Client,
  tables: string[],
): Promise<{ table: string; definition: string }[]> {
  const { rows } = await db.query<{ name: string; table: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, i.indrelid::regclass::text AS table,
      pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
      WHERE i.indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c
        WHERE c.conindid = i.indexrelid)`,
    [tables],
  );
  for (const row of rows) await db.query(`DROP INDEX ${row.name}`);
  return rows.map((r) => ({ table: r.table, definition: r.definition }));
}
