// Builds what is older than its sources: dist/ (nest build) when a source under apps/api,
// apps/worker, libs/ or migrations/ changed, and the web console (dist/web, vite build) when
// apps/web changed. Used by `npm start` (scripts/start.js), `npm test` (the console's browser
// tests need it) and `npm run bench` (API only). `node scripts/build-if-stale.js [--web-only]`.
const { execSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function newestSource(dir, pattern) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // Not sources: tool caches (vitest writes apps/web/node_modules/.vite/…/results.json), and
    // counting them made `npm start` inside the tests rebuild the console under running browsers.
    if (entry.isDirectory() && (entry.name === 'node_modules' || entry.name.startsWith('.'))) continue;
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path, pattern));
    else if (pattern.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function stale(stamp, dirs, pattern) {
  const sources = Math.max(
    ...dirs.map((d) => newestSource(join(root, d), pattern)),
    statSync(join(root, 'package-lock.json')).mtimeMs,
  );
  return !existsSync(stamp) || statSync(stamp).mtimeMs < sources;
}

function touch(stamp) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(stamp, new Date().toISOString());
}

function buildIfStale(stdio = 'inherit', { api = true, web = true } = {}) {
  const apiStamp = join(root, 'dist', '.build-stamp');
  if (api && stale(apiStamp, ['apps/api', 'apps/worker', 'libs', 'migrations'], /\.(ts|json)$/)) {
    console.error('Building the API and workers (sources changed since the last build)…');
    execSync('npx nest build api', { cwd: root, stdio });
    touch(apiStamp);
  }
  const webStamp = join(root, 'dist', '.web-build-stamp');
  if (web && stale(webStamp, ['apps/web'], /\.(ts|tsx|html|json|css)$/)) {
    console.error('Building the web console (sources changed since the last build)…');
    // A production build whatever NODE_ENV the caller has (jest sets "test", which would make
    // React and Ant Design development builds).
    execSync('npx vite build --config apps/web/vite.config.ts --logLevel warn', {
      cwd: root,
      stdio,
      env: { ...process.env, NODE_ENV: 'production' },
    });
    touch(webStamp);
  }
}

module.exports = { buildIfStale };

if (require.main === module) buildIfStale('inherit', { api: !process.argv.includes('--web-only'), web: true });
