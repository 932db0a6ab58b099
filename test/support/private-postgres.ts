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

  static async create(): Promise<PrivatePostgres> {
    const version = readdirSync('/usr/lib/postgresql').sort().at(-1)!;
    const port = await freePort();
    const name = `butler_t${process.pid}_${Date.now().toString(36)}`;
    await run('pg_createcluster', [version, name, '-p', String(port), '--start', '--', '--auth-local=trust', '--auth-host=trust'], { env: realClockEnv() });
    return new PrivatePostgres(version, name, port);
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async stop(): Promise<void> {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', this.version, this.name, 'stop', '-m', 'fast'], { env: realClockEnv() });
  }

  async start(): Promise<void> {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', this.version, this.name, 'start'], { env: realClockEnv() });
  }

  async drop(): Promise<void> {
    await run('pg_dropcluster', ['--stop', this.version, this.name], { env: realClockEnv() }).catch(() => undefined);
  }
}
