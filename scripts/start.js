#!/usr/bin/env node
// `npm start` and friends: build when the sources are newer than dist/, then run the role in
// this same process (so signals reach it directly).
//   all    API and workers in one process (default)   api     HTTP only
//   worker BullMQ workers only                        seed    load the demo data set
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
const entries = {
  all: ['apps/api/src/main.js', '--with-workers'],
  api: ['apps/api/src/main.js'],
  worker: ['apps/worker/src/main.js'],
  seed: ['libs/demo/src/seed-demo.cli.js'],
};

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const role = process.argv[2] ?? 'all';
const entry = entries[role];
if (!entry) {
  console.error(`Unknown role "${role}"; use one of ${Object.keys(entries).join(', ')}`);
  process.exit(2);
}
const sources = Math.max(...['apps', 'libs', 'migrations'].map((d) => newestSource(join(root, d))));
if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
  console.log('Building (sources changed since the last build)…');
  execSync('npx nest build api', { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, new Date().toISOString());
}
process.argv = [process.argv[0], join(root, 'dist', entry[0]), ...entry.slice(1), ...process.argv.slice(3)];
require(join(root, 'dist', entry[0]));
