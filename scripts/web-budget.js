// Prints what each console route makes the browser download before it can run (the entry chunk,
// the route's chunk and every chunk they import statically, gzipped), against the budget of
// issue 6: the login route ≤ 250 KB. Reads dist/web/.vite/manifest.json (npm run build:web).
const { readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

const dist = join(__dirname, '..', 'dist', 'web');
const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error('No dist/web/.vite/manifest.json: run `npm run build:web` first.');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const BUDGET_KB = 250;

function closure(keys, seen = new Set()) {
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    closure(manifest[key].imports ?? [], seen);
  }
  return seen;
}

const gz = (file) => gzipSync(readFileSync(join(dist, file))).length;
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const routeKey = (name) => Object.keys(manifest).find((k) => k.endsWith(`/${name}.tsx`));

const rows = [];
for (const [route, page] of [
  ['/login', 'LoginPage'],
  ['/ (今日)', 'TodayPage'],
  ['/clients', 'ClientsPage'],
  ['/manager/scorecard', 'ScorecardPage'],
]) {
  const keys = [entry, routeKey(page)].filter(Boolean);
  if (page !== 'LoginPage') keys.push(routeKey('AppLayout'));
  const chunks = closure(keys.filter(Boolean));
  const bytes = [...chunks].reduce(
    (sum, k) => sum + gz(manifest[k].file) + (manifest[k].css ?? []).reduce((s, c) => s + gz(c), 0),
    0,
  );
  rows.push({ route, kb: bytes / 1024, chunks: chunks.size });
}
console.log('| route | initial JS+CSS (gzip) | chunks | budget |');
console.log('|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.route} | ${r.kb.toFixed(1)} KB | ${r.chunks} | ` +
      `${r.route === '/login' ? `≤ ${BUDGET_KB} KB ${r.kb <= BUDGET_KB ? 'met' : 'NOT met'}` : ''} |`,
  );
const login = rows[0];
if (process.argv.includes('--check') && login.kb > BUDGET_KB) process.exit(1);
