import { execSync } from 'node:child_process';

import { launchBrowser, TestBrowser } from '../test/support/browser';
import { ensureBulkData } from './bulk-data';
import { BenchContext, BenchRow, ROOT, skippedRow } from './kit';

// What the browser benchmarks share: the bulk data set, a console bundle as built from the sources,
// and Debian's chromium — or, without chromium, the row that says why it was skipped.
export async function browserOverBulkData(ctx: BenchContext, benchmark: string): Promise<TestBrowser | BenchRow> {
  await ensureBulkData(ctx);
  execSync('node scripts/build-if-stale.js --web-only', { cwd: ROOT, stdio: ['ignore', 2, 2] });
  try {
    return await launchBrowser();
  } catch (error) {
    return skippedRow(benchmark, (error as Error).message);
  }
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
