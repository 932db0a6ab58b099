// Builds dist/ (nest build) when a source under apps/, libs/ or migrations/ is newer than the last
// build. Used by `npm start` (scripts/start.js) and `npm run bench` (scripts/bench.js).
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function buildIfStale(stdio = 'inherit') {
  const stamp = join(root, 'dist', '.build-stamp');
  const sources = Math.max(...['apps', 'libs', 'migrations'].map((d) => newestSource(join(root, d))));
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) return;
  console.error('Building (sources changed since the last build)…');
  execSync('npx nest build api', { cwd: root, stdio });
  writeFileSync(stamp, new Date().toISOString());
}

module.exports = { buildIfStale };
