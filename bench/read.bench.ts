import { isDeepStrictEqual } from 'node:util';

import { BULK_BUTLER_EMAILS, BULK_PASSWORD } from '../libs/demo/src/seed-bulk';
import { ensureBulkData, pickCustomer } from './bulk-data';
import {
  BenchContext,
  BenchRow,
  fmtP99,
  fmtRps,
  freePort,
  getJson,
  load,
  LoadResult,
  login,
  ratio,
  startApi,
  startServer,
  tsNodeArgs,
} from './kit';

// Reads under load, against the bulk data set (seeded on first use): the real API (child
// process, HTTP only, LOG_LEVEL=warn) next to bench/ceiling-server.ts running the same SQL on
// bare Fastify + pg. Targets (issue): API throughput ≥ 50% of the bare ceiling; single read p99
// ≤ 25 ms at a fixed 1,000 req/s. About 90 s in all.

const SECONDS = 10;
const WARM_SECONDS = 3;
const CONNECTIONS = 50;
const FIXED_RATE = 1_000;
const P99_TARGET_MS = 25;
const THROUGHPUT_TARGET = 0.5;

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const databaseUrl = ctx.config.database.DATABASE_URL;
  await ensureBulkData(ctx);
  const { butlerId, customerId } = await pickCustomer(ctx);

  const ceilingPort = await freePort();
  const [api, ceiling] = await Promise.all([
    startApi(ctx),
    startServer(
      'ceiling server',
      tsNodeArgs('ceiling-server.ts'),
      { PORT: String(ceilingPort), HOST: '127.0.0.1', DATABASE_URL: databaseUrl },
      ceilingPort,
      '/customers',
    ),
  ]);
  const token = await login(api.url, BULK_BUTLER_EMAILS[0], BULK_PASSWORD);
  const appHeaders = { authorization: `Bearer ${token}` };
  const ceilingHeaders = { 'x-actor-id': butlerId };
  const single = {
    app: `${api.url}/api/v1/customers/${customerId}`,
    ceiling: `${ceiling.url}/customers/${customerId}`,
  };
  const list = {
    app: `${api.url}/api/v1/customers?tier=gold&limit=50`,
    ceiling: `${ceiling.url}/customers?tier=gold&limit=50`,
  };

  // Same answer from both, or the comparison means nothing.
  const notes: string[] = [];
  for (const [what, urls] of [
    ['single', single],
    ['list', list],
  ] as const) {
    const [a, c] = await Promise.all([getJson(urls.app, appHeaders), getJson(urls.ceiling, ceilingHeaders)]);
    if (a.status !== 200 || c.status !== 200)
      throw new Error(
        `${what}: API answered ${a.status}, ceiling ${c.status}: ${JSON.stringify(a.body).slice(0, 300)}`,
      );
    if (!isDeepStrictEqual(a.body, c.body)) notes.push(`${what} bodies differ`);
  }
  if (notes.length > 0) ctx.log(`read: warning: ${notes.join('; ')}`);

  const measure = async (
    label: string,
    url: string,
    headers: Record<string, string>,
    rate?: number,
  ): Promise<LoadResult> => {
    const result = await load({ url, headers, connections: CONNECTIONS, seconds: SECONDS, rate });
    ctx.log(
      `read: ${label}: ${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
        `${result.failures} failed`,
    );
    return result;
  };
  ctx.log('read: warming up');
  for (const [url, headers] of [
    [single.app, appHeaders],
    [single.ceiling, ceilingHeaders],
    [list.app, appHeaders],
    [list.ceiling, ceilingHeaders],
  ] as const) {
    await load({ url, headers, connections: CONNECTIONS, seconds: WARM_SECONDS });
  }
  const appSingle = await measure('API single', single.app, appHeaders);
  const ceilingSingle = await measure('ceiling single', single.ceiling, ceilingHeaders);
  const appList = await measure('API list', list.app, appHeaders);
  const ceilingList = await measure('ceiling list', list.ceiling, ceilingHeaders);
  const appFixed = await measure(`API single @${FIXED_RATE}/s`, single.app, appHeaders, FIXED_RATE);
  const ceilingFixed = await measure(`ceiling single @${FIXED_RATE}/s`, single.ceiling, ceilingHeaders, FIXED_RATE);

  const differs = (what: string): string => (notes.some((n) => n.startsWith(what)) ? ' — body differs!' : '');
  const throughputRow = (benchmark: string, app: LoadResult, bare: LoadResult, what: string): BenchRow => ({
    benchmark,
    figure: fmtRps(app),
    target: `≥ ${THROUGHPUT_TARGET * 100}% of ceiling`,
    ceiling: `${fmtRps(bare)}, bare Fastify + pg${differs(what)}`,
    ratio: ratio(app.rps, bare.rps),
    met: app.failures === 0 && bare.rps > 0 && app.rps / bare.rps >= THROUGHPUT_TARGET,
  });
  return [
    throughputRow(
      `read: GET /customers/:id as a butler (${CONNECTIONS} conns, ${SECONDS} s)`,
      appSingle,
      ceilingSingle,
      'single',
    ),
    throughputRow(
      `read: GET /customers?tier=gold&limit=50 as a butler (${CONNECTIONS} conns, ${SECONDS} s)`,
      appList,
      ceilingList,
      'list',
    ),
    {
      benchmark: `read: GET /customers/:id at a fixed ${FIXED_RATE.toLocaleString('en-US')} req/s (${SECONDS} s)`,
      figure: fmtP99(appFixed),
      target: `p99 ≤ ${P99_TARGET_MS} ms`,
      ceiling: fmtP99(ceilingFixed),
      ratio: ratio(appFixed.p99, ceilingFixed.p99),
      // The rate must actually have been served, without failures.
      met: appFixed.p99 <= P99_TARGET_MS && appFixed.failures === 0 && appFixed.rps >= FIXED_RATE * 0.95,
    },
  ];
}
