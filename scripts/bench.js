#!/usr/bin/env node
// `npm run bench [-- name …]`: runs every bench/<name>.bench.ts (or only those named), one after
// the other, and prints ONE Markdown table (also written to bench/results/latest.md):
//   benchmark | figure | target | ceiling measured in the same run | ratio | met
// with the machine on a line above it. Benchmarks are TypeScript run through ts-node
// (transpile only); the servers they measure run from dist/, built here when sources changed
// (the same rule as scripts/start.js). Progress goes to stderr, the table to stdout.
const { mkdirSync, readdirSync, writeFileSync } = require('node:fs');
const { buildIfStale } = require('./build-if-stale');
const { join } = require('node:path');

const root = join(__dirname, '..');
const benchDir = join(root, 'bench');
// A benchmark that overruns this is stopped and reported as failed (first-time seeding included).
const BENCH_TIMEOUT_MS = 8 * 60_000;

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(rows) {
  const lines = [
    '| benchmark | figure | target | ceiling (same run) | ratio | met |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const met = r.met === null ? '—' : r.met ? 'yes' : 'NO';
      return `| ${[r.benchmark, r.figure, r.target, r.ceiling, r.ratio, met].map(cell).join(' | ')} |`;
    }),
  ];
  return lines.join('\n');
}

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const available = readdirSync(benchDir)
    .filter((f) => /\.bench\.(ts|js)$/.test(f))
    .map((f) => ({ name: f.replace(/\.bench\.(ts|js)$/, ''), file: join(benchDir, f) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const unknown = wanted.filter((w) => !available.some((b) => b.name === w));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.join(', ')}; available: ${available.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const selected = wanted.length > 0 ? available.filter((b) => wanted.includes(b.name)) : available;

  buildIfStale(['ignore', 2, 2], { web: false });
  process.chdir(root);
  require('ts-node').register({ transpileOnly: true, project: join(root, 'tsconfig.json') });
  require('tsconfig-paths/register');
  const kit = require(join(benchDir, 'kit.ts'));
  process.on('exit', () => kit.killAllNow());
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      kit.killAllNow();
      process.exit(130);
    });
  }

  const ctx = kit.benchContext();
  const machine = await kit.machineLine(ctx.config.database.DATABASE_URL);
  console.error(`Machine: ${machine}`);
  const started = Date.now();
  const rows = [];
  let crashed = false;
  for (const bench of selected) {
    const t0 = Date.now();
    console.error(`── ${bench.name}`);
    let timer;
    try {
      const mod = require(bench.file);
      if (typeof mod.run !== 'function') throw new Error(`${bench.file} does not export run(ctx)`);
      // A benchmark may ask for more time (e.g. to generate its data set the first time).
      const limitMs = mod.timeoutMs ?? BENCH_TIMEOUT_MS;
      const overrun = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`overran ${limitMs / 1000} s`)), limitMs);
      });
      rows.push(...(await Promise.race([mod.run(ctx), overrun])));
    } catch (error) {
      console.error(error);
      crashed = true;
      rows.push({
        benchmark: bench.name,
        figure: `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        target: '—',
        ceiling: '—',
        ratio: '—',
        met: false,
      });
    } finally {
      clearTimeout(timer);
      await kit.stopAll();
    }
    console.error(`── ${bench.name}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }

  const report = [
    `# Benchmarks, ${new Date().toISOString()}`,
    '',
    `Machine: ${machine}`,
    '',
    table(rows),
    '',
    `${selected.map((b) => b.name).join(', ')} in ${((Date.now() - started) / 1000).toFixed(0)} s. Ratio = ` +
      'figure / ceiling (for latencies, above 1 is slower than the ceiling).',
    '',
  ].join('\n');
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  writeFileSync(join(benchDir, 'results', 'latest.md'), report);
  console.log(report);
  // A missed target is a finding, shown in the table; only a benchmark that could not run fails.
  process.exit(crashed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
