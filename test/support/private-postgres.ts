import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { promisify } from 'node:util';

import { realClockEnv } from './test-env';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

// A PostgreSQL cluster of the test's own (Debian's pg_createcluster, on a spare port, trust auth),
// for tests that stop, restart or starve the database: the shared one is never touched. Removed
// by drop(), whatever state it is in.
export class PrivatePostgres {
  private constructor(
    readonly version: string,
    readonly name: string,
    readonly port: number,
  ) {}

  // settings: postgresql.conf lines for the new cluster (e.g. { max_connections: '200' }).
  static async create(settings: Record<string, string> = {}): Promise<PrivatePostgres> {
    const version = readdirSync('/usr/lib/postgresql').sort().at(-1)!;
    const port = await freePort();
    const name = `butler_t${process.pid}_${Date.now().toString(36)}`;
    await dropStaleClusters(version);
    const options = Object.entries(settings).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
    await run(
      'pg_createcluster',
      [version, name, '-p', String(port), ...options, '--start', '--', '--auth-local=trust', '--auth-host=trust'],
      { env: realClockEnv() },
    );
    return new PrivatePostgres(version, name, port);
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async stop(): Promise<void> {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', this.version, this.name, 'stop', '-m', 'fast'], {
      env: realClockEnv(),
    });
  }

  async start(): Promise<void> {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', this.version, this.name, 'start'], {
      env: realClockEnv(),
    });
  }

  async drop(): Promise<void> {
    await run('pg_dropcluster', ['--stop', this.version, this.name], { env: realClockEnv() }).catch(() => undefined);
  }
}

// Clusters that a killed run left behind (named after a process that is gone).
async function dropStaleClusters(version: string): Promise<void> {
  const { stdout } = await run('pg_lsclusters', ['-h'], { env: realClockEnv() }).catch(() => ({ stdout: '' }));
  for (const line of stdout.split('\n')) {
    const [ver, name] = line.trim().split(/\s+/);
    const pid = /^butler_t(\d+)_/.exec(name ?? '')?.[1];
    if (ver !== version || !pid || alive(Number(pid))) continue;
    await run('pg_dropcluster', ['--stop', ver, name], { env: realClockEnv() }).catch(() => undefined);
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
