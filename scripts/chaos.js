#!/usr/bin/env node
// `npm run chaos [-- --short | --minutes=N | --seconds=N | --clients=N | --butlers=N]`: a mixed
// workload against the real API and worker processes while Redis crashes, a worker is
// SIGKILLed and the SMTP server refuses mail; then checks that nothing was lost or sent twice
// (bench/chaos/run.ts says what and how). Builds dist/ when the sources changed (the same rule
// as scripts/start.js), runs the TypeScript through ts-node (transpile only). Progress goes to
// stderr, the table to stdout; exit code 1 when a check fails.
const { join } = require('node:path');
const { buildIfStale } = require('./build-if-stale');

const root = join(__dirname, '..');

async function main() {
  buildIfStale(['ignore', 2, 2], { web: false });
  process.chdir(root);
  process.env.TS_NODE_PROJECT = join(root, 'tsconfig.json');
  require('ts-node').register({ transpileOnly: true, project: join(root, 'tsconfig.json') });
  require('tsconfig-paths/register');
  const chaos = require(join(root, 'bench', 'chaos', 'run.ts'));
  // Ctrl-C, SIGTERM or a crash of the run itself: undo everything it started, then exit.
  let stopping = false;
  const stop = (why, code) => {
    if (stopping) return;
    stopping = true;
    console.error(`chaos: ${why}: cleaning up`);
    chaos.interrupt().finally(() => process.exit(code));
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal, 130));
  process.on('uncaughtException', (error) => {
    console.error(error);
    stop('uncaught exception', 1);
  });
  process.exit(await chaos.main(process.argv.slice(2)));
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
