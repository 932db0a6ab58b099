#!/usr/bin/env node
// `npm run services [start|stop|status]`: a private PostgreSQL and Redis for this checkout, under
// var/services/, from the binaries installed on the machine (Debian's postgresql and redis-server
// packages, Homebrew's, or any on PATH), on the ports the default configuration expects
// (5432, 6379; SERVICES_PG_PORT / SERVICES_REDIS_PORT to change). A port already answering is left
// alone: a PostgreSQL or Redis the machine already runs is used as it is. Nothing is downloaded.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, chownSync } = require('node:fs');
const net = require('node:net');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const dir = resolve(process.env.SERVICES_DIR || join(root, 'var', 'services'));
const pgPort = Number(process.env.SERVICES_PG_PORT || 5432);
const redisPort = Number(process.env.SERVICES_REDIS_PORT || 6379);
const pgData = join(dir, 'postgres');
const redisDir = join(dir, 'redis');

function answers(port) {
  return new Promise((done) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => socket.end(() => done(true)));
    socket.once('error', () => done(false));
    socket.setTimeout(1000, () => socket.destroy() && done(false));
  });
}

// initdb and pg_ctl are not always on PATH (Debian keeps them per version).
function pgBin(name) {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  for (const base of ['/usr/lib/postgresql', '/usr/local/opt']) {
    if (!existsSync(base)) continue;
    for (const version of readdirSync(base).sort().reverse()) {
      for (const candidate of [join(base, version, 'bin', name)]) if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

// PostgreSQL refuses to run as root: it then runs as the `postgres` user, who owns its folder.
function asPostgres(command, args) {
  if (process.getuid && process.getuid() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return execFileSync(command, args, { uid, gid, stdio: 'inherit', cwd: '/' });
  }
  return execFileSync(command, args, { stdio: 'inherit' });
}

async function startPostgres() {
  if (await answers(pgPort))
    return console.log(`PostgreSQL: something already answers on 127.0.0.1:${pgPort}; using it`);
  const initdb = pgBin('initdb');
  const pgCtl = pgBin('pg_ctl');
  if (!initdb || !pgCtl) {
    throw new Error(
      'PostgreSQL is not installed: Debian/Ubuntu `sudo apt-get install postgresql`, macOS `brew install ' +
        'postgresql@16`, or `docker compose up -d postgres redis`',
    );
  }
  mkdirSync(pgData, { recursive: true });
  if (process.getuid && process.getuid() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(pgData, uid, gid);
  }
  if (!existsSync(join(pgData, 'PG_VERSION'))) {
    try {
      asPostgres(initdb, ['-D', pgData, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    } catch {
      throw new Error(
        `initdb could not create ${pgData} (as root, PostgreSQL runs as the postgres user, who must be able to ` +
          'reach it): set SERVICES_DIR to such a folder, e.g. SERVICES_DIR=/var/tmp/butler-services',
      );
    }
  }
  asPostgres(pgCtl, [
    '-D',
    pgData,
    '-l',
    join(pgData, 'server.log'),
    '-w',
    '-o',
    `-p ${pgPort} -k ${pgData} -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  console.log(`PostgreSQL: started on 127.0.0.1:${pgPort} (data in ${pgData}, user postgres, trust)`);
}

async function startRedis() {
  if (await answers(redisPort))
    return console.log(`Redis: something already answers on 127.0.0.1:${redisPort}; using it`);
  const server = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!server)
    throw new Error(
      'Redis is not installed: Debian/Ubuntu `sudo apt-get install redis-server`, macOS `brew install redis`, or ' +
        '`docker compose up -d redis`',
    );
  mkdirSync(redisDir, { recursive: true });
  execFileSync(server, [
    '--port',
    String(redisPort),
    '--bind',
    '127.0.0.1',
    '--daemonize',
    'yes',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    redisDir,
    '--pidfile',
    join(redisDir, 'redis.pid'),
    '--logfile',
    join(redisDir, 'redis.log'),
  ]);
  for (let i = 0; i < 50 && !(await answers(redisPort)); i++) await new Promise((r) => setTimeout(r, 100));
  console.log(`Redis: started on 127.0.0.1:${redisPort} (no persistence; data in ${redisDir})`);
}

function stop() {
  const pgCtl = pgBin('pg_ctl');
  if (pgCtl && existsSync(join(pgData, 'postmaster.pid'))) asPostgres(pgCtl, ['-D', pgData, '-m', 'fast', 'stop']);
  const pidFile = join(redisDir, 'redis.pid');
  if (existsSync(pidFile)) {
    const pid = Number(require('node:fs').readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  console.log('Stopped the services this checkout started (if any).');
}

async function main() {
  const command = process.argv[2] || 'start';
  if (command === 'stop') return stop();
  if (command === 'status') {
    console.log(`PostgreSQL 127.0.0.1:${pgPort}: ${(await answers(pgPort)) ? 'answers' : 'down'}`);
    console.log(`Redis 127.0.0.1:${redisPort}: ${(await answers(redisPort)) ? 'answers' : 'down'}`);
    return;
  }
  if (command !== 'start') throw new Error(`Unknown command "${command}": use start, stop or status`);
  await startPostgres();
  await startRedis();
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
