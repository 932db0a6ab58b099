#!/usr/bin/env node
// `npm start` and friends: build when the sources are newer than dist/, then run the role in
// this same process (so signals reach it directly).
//   all    API and workers in one process (default)   api     HTTP only
//   worker BullMQ workers only                        seed    load the demo data set
const { join } = require('node:path');
const { buildIfStale } = require('./build-if-stale');

const root = join(__dirname, '..');
const entries = {
  all: ['apps/api/src/main.js', '--with-workers'],
  api: ['apps/api/src/main.js'],
  worker: ['apps/worker/src/main.js'],
  seed: ['libs/demo/src/seed-demo.cli.js'],
};

const role = process.argv[2] ?? 'all';
const entry = entries[role];
if (!entry) {
  console.error(`Unknown role "${role}"; use one of ${Object.keys(entries).join(', ')}`);
  process.exit(2);
}
buildIfStale();
process.argv = [process.argv[0], join(root, 'dist', entry[0]), ...entry.slice(1), ...process.argv.slice(3)];
require(join(root, 'dist', entry[0]));
