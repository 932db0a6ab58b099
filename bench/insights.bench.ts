import { BULK_BUTLER_EMAILS, BULK_PASSWORD } from '../libs/demo/src/seed-bulk';
import { ensureBulkData, pickCustomer } from './bulk-data';
import { BenchContext, BenchRow, fmtRps, getJson, load, login, ratio, skippedRow, startApi } from './kit';

// Per-client insights under load, on the bulk data set, as a butler: GET /customers/:id/metrics
// and /recommendations. Their ceiling is the plain client read (GET /customers/:id) of the same
// API in the same run: what reading the client alone costs. No target yet (the issue sets none):
// add it to TARGETS when it does. A route that answers 404 is skipped (not built yet).

const SECONDS = 5;
const CONNECTIONS = 50;
const ROUTES = [
  { name: 'metrics', path: (id: string) => `/api/v1/customers/${id}/metrics` },
  { name: 'recommendations', path: (id: string) => `/api/v1/customers/${id}/recommendations?limit=5` },
];
const TARGETS: Record<string, { text: string; met: (rps: number, p99: number) => boolean } | undefined> = {};

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  await ensureBulkData(ctx);
  const { customerId } = await pickCustomer(ctx);
  const api = await startApi(ctx);
  const headers = { authorization: `Bearer ${await login(api.url, BULK_BUTLER_EMAILS[0], BULK_PASSWORD)}` };
  const present: typeof ROUTES = [];
  const rows: BenchRow[] = [];
  for (const route of ROUTES) {
    const probe = await getJson(`${api.url}${route.path(customerId)}`, headers);
    if (probe.status === 404)
      rows.push(skippedRow(`insights: GET /customers/:id/${route.name}`, 'the route answers 404 (not built yet)'));
    else if (probe.status !== 200)
      throw new Error(`${route.name} answered ${probe.status}: ${JSON.stringify(probe.body).slice(0, 300)}`);
    else present.push(route);
  }
  if (present.length === 0) return rows;

  const url = (path: string): string => `${api.url}${path}`;
  await load({ url: url(`/api/v1/customers/${customerId}`), headers, connections: CONNECTIONS, seconds: 2 });
  const plain = await load({
    url: url(`/api/v1/customers/${customerId}`),
    headers,
    connections: CONNECTIONS,
    seconds: SECONDS,
  });
  for (const route of present) {
    await load({ url: url(route.path(customerId)), headers, connections: CONNECTIONS, seconds: 2 });
    const result = await load({
      url: url(route.path(customerId)),
      headers,
      connections: CONNECTIONS,
      seconds: SECONDS,
    });
    ctx.log(`insights: ${route.name}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms`);
    const target = TARGETS[route.name];
    rows.push({
      benchmark: `insights: GET /customers/:id/${route.name} as a butler (${CONNECTIONS} conns, ${SECONDS} s)`,
      figure: fmtRps(result),
      target: target?.text ?? '—',
      ceiling: `${fmtRps(plain)}, GET /customers/:id`,
      ratio: ratio(result.rps, plain.rps),
      met: target ? result.failures === 0 && target.met(result.rps, result.p99) : null,
    });
  }
  return rows;
}
