import { once } from 'node:events';
import { finished } from 'node:stream/promises';

import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import type { AromaType } from '@app/catalog';
import { nameSearchKeys, NameSearchKeys, type Tier } from '@app/customers';
import { hashPassword } from '@app/users';

import { DEMO_CITIES, DEMO_GIVEN_NAMES, DEMO_OCCASIONS, DEMO_PRODUCTS, DEMO_SURNAMES, DEMO_TAGS } from './demo-data';
import { prng } from './demo-generator';

// A large, deterministic client book for load tests (`npm run seed:bulk`): ten butlers under two
// managers, 100k clients and 1M purchases by default, written with COPY in one transaction.
// Everything it owns is recognisable: staff emails end in @bench.butler.local, mobiles sit in the
// reserved block 1370xxxxxxx (the demo seed uses 1390000xxxx), order numbers start with BULK-.

export const BULK_PASSWORD = 'bench-butler-2026';
export const BULK_EMAIL_DOMAIN = 'bench.butler.local';
export const BULK_MOBILE_PREFIX = '1370';
export const BULK_ORDER_PREFIX = 'BULK-';
const MOBILE_BLOCK_SIZE = 10_000_000; // 1370 + 7 digits

export interface BulkStaffMember {
  email: string;
  name: string;
  role: 'manager' | 'butler';
  // Index into the managers for a butler.
  manager: number | null;
}

export const BULK_STAFF: BulkStaffMember[] = [
  { email: `bulk-manager1@${BULK_EMAIL_DOMAIN}`, name: '赵国栋', role: 'manager', manager: null },
  { email: `bulk-manager2@${BULK_EMAIL_DOMAIN}`, name: '孙丽华', role: 'manager', manager: null },
  ...Array.from({ length: 10 }, (_, k): BulkStaffMember => ({
    email: `bulk-butler${k + 1}@${BULK_EMAIL_DOMAIN}`,
    name: DEMO_SURNAMES[(k * 7 + 3) % DEMO_SURNAMES.length] + DEMO_GIVEN_NAMES[(k * 11 + 20) % DEMO_GIVEN_NAMES.length],
    role: 'butler',
    manager: k < 5 ? 0 : 1,
  })),
];

export const BULK_BUTLER_EMAILS = BULK_STAFF.filter((s) => s.role === 'butler').map((s) => s.email);

export interface BulkOptions {
  customers: number;
  purchases: number;
  seed: number;
  // Purchases run up to the day before this instant; dates reach three years back.
  now: Date;
}

export const BULK_DEFAULTS: Omit<BulkOptions, 'now'> = { customers: 100_000, purchases: 1_000_000, seed: 20_261_122 };

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const HISTORY_DAYS = 3 * 365;

const TIER_BUDGET: Record<Tier, [number, number]> = {
  regular: [10_000, 60_000],
  silver: [30_000, 120_000],
  gold: [60_000, 300_000],
  black: [100_000, 500_000],
};
// Relative purchase frequency per year.
const TIER_RATE: Record<Tier, number> = { regular: 2, silver: 4, gold: 7, black: 12 };
const TIER_MAX_QUANTITY: Record<Tier, number> = { regular: 2, silver: 3, gold: 4, black: 6 };
const TIERS_WEIGHTED: [Tier, number][] = [
  ['regular', 45],
  ['silver', 30],
  ['gold', 18],
  ['black', 7],
];
const AROMA_POPULARITY: [AromaType, number][] = [
  ['jiang', 40],
  ['nong', 30],
  ['qing', 10],
  ['feng', 4],
  ['jian', 4],
  ['fuyu', 3],
  ['mi', 2],
  ['zhima', 2],
  ['te', 1],
  ['chi', 1],
  ['yao', 1],
  ['laobaigan', 2],
];
const CHANNELS_WEIGHTED: [string, number][] = [
  ['store', 40],
  ['wechat', 30],
  ['phone', 12],
  ['event', 10],
  ['online', 8],
];
const CHANNEL_INDEX = CHANNELS_WEIGHTED.map(([, w], k): [number, number] => [k, w]);
// Larger books for some butlers, as in real teams.
const BUTLER_WEIGHTS = [14, 12, 11, 10, 9, 12, 10, 9, 8, 5];

function weighted<T>(rand: () => number, entries: readonly [T, number][]): T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [value, w] of entries) {
    if ((r -= w) <= 0) return value;
  }
  return entries[entries.length - 1][0];
}

// A bijection on 32-bit integers (lowbias32): distinct counters give distinct, random-looking
// values, so ids are unique without a lookup and land all over the B-tree like gen_random_uuid().
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0').slice(-width);

// Deterministic version-4-shaped uuid: unique per (kind, n) for n < 2^32; kind tags the table.
export function bulkUuid(kind: number, n: number): string {
  const a = mix32(n ^ Math.imul(kind, 0x9e3779b1));
  const b = mix32(a ^ 0x5bd1e995);
  const c = mix32(b + kind);
  const variant = `${hex(8 | (b >>> 30), 1)}${hex(b >>> 12, 3)}`;
  return `${hex(a, 8)}-b${hex(kind, 3)}-4${hex(b, 3)}-${variant}-${hex(c, 8)}${hex(b >>> 16, 4)}`;
}

const KIND_CUSTOMER = 0xc01;
const KIND_PURCHASE = 0xd01;
const KIND_ITEM = 0xe01;

interface Profile {
  name: string;
  email: string | null;
  gender: string;
  birthday: { calendar: 'solar' | 'lunar'; year: number; month: number; day: number } | null;
  city: string;
  tier: Tier;
  tags: string[];
  butler: number;
  consentGreetings: boolean;
  consentSurveys: boolean;
  joinDaysAgo: number;
  // Days ago of the last day the client was still buying (drifted-away clients stop early).
  activeUntilDaysAgo: number;
  pool: number[];
  aromas: { type: AromaType; weight: number }[];
  strong: boolean;
  brands: string[];
  occasions: string[];
}

export interface BulkIds {
  butlerIds: string[];
  // Aligned with DEMO_PRODUCTS.
  productIds: string[];
}

// Generates COPY text (tab-separated, \N for null) for each table. Profiles are made once; the
// purchases pass keeps its items in typed arrays so the items pass only formats them.
export class BulkGenerator {
  readonly customerIds: string[];
  readonly purchaseCounts: Int32Array;
  private readonly profiles: Profile[];
  private readonly anchor: number;
  private readonly pools = new Map<string, number[]>();
  private readonly active = DEMO_PRODUCTS.map((p, k) => (p.active ? k : -1)).filter((k) => k >= 0);
  private purchases: { purchases: Purchases; order: Uint32Array } | null = null;

  constructor(
    readonly options: BulkOptions,
    private readonly ids: BulkIds,
  ) {
    if (options.customers > MOBILE_BLOCK_SIZE - 1)
      throw new Error(`At most ${MOBILE_BLOCK_SIZE - 1} customers fit the reserved mobile block`);
    if (ids.productIds.length !== DEMO_PRODUCTS.length) throw new Error('productIds must align with DEMO_PRODUCTS');
    this.anchor = startOfShanghaiDay(options.now);
    const rand = prng(options.seed);
    this.profiles = Array.from({ length: options.customers }, (_, i) => this.profile(rand, i));
    this.customerIds = this.profiles.map((_, i) => bulkUuid(KIND_CUSTOMER, i));
    this.purchaseCounts = this.allocatePurchases(rand);
  }

  private profile(rand: () => number, i: number): Profile {
    const tier = weighted(rand, TIERS_WEIGHTED);
    const primary = weighted(rand, AROMA_POPULARITY);
    let secondary = weighted(rand, AROMA_POPULARITY);
    if (secondary === primary) secondary = primary === 'nong' ? 'jiang' : 'nong';
    const pool = this.pool(primary, secondary, tier);
    const brands = [
      ...new Set([
        DEMO_PRODUCTS[pool[Math.floor(rand() * pool.length)]].brand,
        ...(rand() < 0.4 ? [DEMO_PRODUCTS[pool[Math.floor(rand() * pool.length)]].brand] : []),
      ]),
    ];
    const occasions = DEMO_OCCASIONS.filter(() => rand() < 0.45);
    // Common surnames are far more common: skew the pick towards the head of the list.
    const surname = DEMO_SURNAMES[Math.floor(DEMO_SURNAMES.length * rand() ** 1.7)];
    const given = DEMO_GIVEN_NAMES[Math.floor(rand() * DEMO_GIVEN_NAMES.length)];
    // 8% joined in the last two months; the rest over the three years.
    const joinDaysAgo = rand() < 0.08 ? 1 + Math.floor(rand() * 60) : 60 + Math.floor(rand() * (HISTORY_DAYS - 60));
    const drifting = rand() < 0.15 && joinDaysAgo > 400;
    const activeUntilDaysAgo = drifting ? 150 + Math.floor(rand() * Math.min(350, joinDaysAgo - 200)) : 1;
    const lunar = rand() < 0.35;
    const hasBirthday = rand() < 0.85;
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * (lunar ? 29 : 28));
    return {
      name: `${surname}${given}`,
      email: rand() < 0.8 ? `bulk${String(i + 1).padStart(7, '0')}@example.com` : null,
      gender: weighted(rand, [
        ['male', 70],
        ['female', 29],
        ['other', 1],
      ]),
      birthday: hasBirthday
        ? { calendar: lunar ? 'lunar' : 'solar', year: 1950 + Math.floor(rand() * 50), month, day }
        : null,
      city: DEMO_CITIES[Math.floor(rand() * DEMO_CITIES.length)],
      tier,
      tags: DEMO_TAGS.filter(() => rand() < 0.15).slice(0, 3),
      butler: weighted(
        rand,
        BUTLER_WEIGHTS.slice(0, this.ids.butlerIds.length).map((w, k): [number, number] => [k, w]),
      ),
      consentGreetings: rand() < 0.85,
      consentSurveys: rand() < 0.8,
      joinDaysAgo,
      activeUntilDaysAgo,
      pool,
      aromas: [
        { type: primary, weight: Math.round((0.7 + rand() * 0.3) * 100) / 100 },
        { type: secondary, weight: Math.round((0.2 + rand() * 0.4) * 100) / 100 },
      ],
      strong: rand() < 0.7,
      brands,
      occasions: occasions.length > 0 ? occasions : ['personal'],
    };
  }

  // Products a client of this taste and tier usually buys (active ones only, as the demo seed).
  private pool(primary: AromaType, secondary: AromaType, tier: Tier): number[] {
    const key = `${primary}/${secondary}/${tier}`;
    let pool = this.pools.get(key);
    if (!pool) {
      const budgetMax = TIER_BUDGET[tier][1];
      pool = this.active.filter((k) => {
        const p = DEMO_PRODUCTS[k];
        return (p.aroma === primary || p.aroma === secondary) && p.priceFen <= budgetMax * 1.5;
      });
      if (pool.length === 0) pool = this.active;
      this.pools.set(key, pool);
    }
    return pool;
  }

  // Exactly options.purchases purchases, shared out by tier, time as a client and a heavy-tailed
  // appetite; 6% are prospects who never bought. Every other client buys at least once when
  // there are enough purchases; cumulative rounding keeps the total exact.
  private allocatePurchases(rand: () => number): Int32Array {
    const weights = this.profiles.map((p) => {
      if (rand() < 0.06) return 0;
      const years = Math.max(1, p.joinDaysAgo - p.activeUntilDaysAgo) / 365;
      return TIER_RATE[p.tier] * years * -Math.log(1 - rand() * 0.999);
    });
    const counts = new Int32Array(this.profiles.length);
    const buyers = weights.filter((w) => w > 0).length;
    const floor = this.options.purchases >= buyers ? 1 : 0;
    const spread = this.options.purchases - floor * buyers;
    const total = weights.reduce((s, w) => s + w, 0);
    if (total === 0) return counts;
    let cumulative = 0;
    let assigned = 0;
    for (let i = 0; i < weights.length; i++) {
      cumulative += weights[i];
      const upTo = Math.round((cumulative / total) * spread);
      counts[i] = upTo - assigned + (weights[i] > 0 ? floor : 0);
      assigned = upTo;
    }
    return counts;
  }

  *customerChunks(rowsPerChunk = 2000): Generator<string> {
    let lines: string[] = [];
    // The search keys the app writes with a name; names repeat, so each is computed once.
    const keysByName = new Map<string, NameSearchKeys>();
    for (let i = 0; i < this.profiles.length; i++) {
      const p = this.profiles[i];
      let keys = keysByName.get(p.name);
      if (!keys) keysByName.set(p.name, (keys = nameSearchKeys(p.name)));
      const createdAt = new Date(this.anchor - p.joinDaysAgo * DAY_MS + 9 * HOUR_MS + (i % 60) * 60_000).toISOString();
      const b = p.birthday;
      lines.push(
        [
          this.customerIds[i],
          p.name,
          `${BULK_MOBILE_PREFIX}${String(i + 1).padStart(7, '0')}`,
          p.email ?? '\\N',
          p.gender,
          b ? b.calendar : '\\N',
          b ? b.year : '\\N',
          b ? b.month : '\\N',
          b ? b.day : '\\N',
          'f',
          p.city,
          p.tier,
          `{${p.tags.join(',')}}`,
          this.ids.butlerIds[p.butler],
          p.consentGreetings ? 't' : 'f',
          p.consentSurveys ? 't' : 'f',
          createdAt,
          'store',
          this.purchaseCounts[i] === 0 ? '意向客户，尚未成交' : '',
          createdAt,
          createdAt,
          keys.pinyin,
          keys.initials,
        ].join('\t'),
      );
      if (lines.length >= rowsPerChunk) {
        yield `${lines.join('\n')}\n`;
        lines = [];
      }
    }
    if (lines.length > 0) yield `${lines.join('\n')}\n`;
  }

  *tasteChunks(rowsPerChunk = 2000): Generator<string> {
    let lines: string[] = [];
    for (let i = 0; i < this.profiles.length; i++) {
      const p = this.profiles[i];
      const [priceMin, priceMax] = TIER_BUDGET[p.tier];
      const updatedAt = new Date(this.anchor - p.joinDaysAgo * DAY_MS + 12 * HOUR_MS).toISOString();
      lines.push(
        [
          this.customerIds[i],
          JSON.stringify(p.aromas),
          p.strong ? 50 : 38,
          p.strong ? 54 : 46,
          priceMin,
          priceMax,
          `{${p.brands.join(',')}}`,
          `{${p.occasions.join(',')}}`,
          '',
          updatedAt,
        ].join('\t'),
      );
      if (lines.length >= rowsPerChunk) {
        yield `${lines.join('\n')}\n`;
        lines = [];
      }
    }
    if (lines.length > 0) yield `${lines.join('\n')}\n`;
  }

  // Each client's purchases spread over their active span with a steady rhythm and jitter;
  // 1–3 distinct products per order, mostly from the client's taste pool. Kept in typed arrays
  // (a million objects would cost far more memory and time).
  private generatePurchases(): Purchases {
    const rand = prng(this.options.seed ^ 0x5eed5eed);
    const total = this.options.purchases;
    const out: Purchases = {
      count: 0,
      customer: new Int32Array(total),
      seq: new Int32Array(total),
      at: new Float64Array(total),
      channel: new Uint8Array(total),
      totalFen: new Float64Array(total),
      firstItem: new Int32Array(total + 1),
      itemProduct: new Uint8Array(total * 3),
      itemQuantity: new Uint8Array(total * 3),
      itemPrice: new Int32Array(total * 3),
      items: 0,
    };
    const lineProducts: number[] = [];
    for (let i = 0; i < this.profiles.length; i++) {
      const p = this.profiles[i];
      const count = this.purchaseCounts[i];
      if (count === 0) continue;
      const from = Math.max(p.joinDaysAgo - 1, p.activeUntilDaysAgo);
      const step = (from - p.activeUntilDaysAgo + 1) / count;
      for (let n = 0; n < count; n++) {
        const daysAgo = Math.max(p.activeUntilDaysAgo, Math.round(from - (n + rand()) * step));
        const at =
          this.anchor - daysAgo * DAY_MS + (10 + Math.floor(rand() * 11)) * HOUR_MS + Math.floor(rand() * 60) * 60_000;
        const year = new Date(at + 8 * HOUR_MS).getUTCFullYear();
        const lineCount = 1 + (rand() < 0.3 ? 1 : 0) + (rand() < 0.07 ? 1 : 0);
        const k = out.count++;
        out.firstItem[k] = out.items;
        lineProducts.length = 0;
        let sum = 0;
        for (let l = 0; l < lineCount; l++) {
          let product =
            rand() < 0.8
              ? p.pool[Math.floor(rand() * p.pool.length)]
              : this.active[Math.floor(rand() * this.active.length)];
          const vintage = DEMO_PRODUCTS[product].vintage;
          if (vintage !== null && vintage > year) product = 0; // not released yet: the flagship instead
          if (lineProducts.includes(product)) continue;
          lineProducts.push(product);
          const list = DEMO_PRODUCTS[product].priceFen;
          // Store price, now and then with the butler's discount.
          const price = rand() < 0.25 ? Math.round((list * 0.95) / 100) * 100 : list;
          const quantity = 1 + Math.floor(rand() * TIER_MAX_QUANTITY[p.tier]);
          out.itemProduct[out.items] = product;
          out.itemQuantity[out.items] = quantity;
          out.itemPrice[out.items] = price;
          out.items++;
          sum += price * quantity;
        }
        out.customer[k] = i;
        out.seq[k] = n + 1;
        out.at[k] = at;
        out.channel[k] = weighted(rand, CHANNEL_INDEX);
        out.totalFen[k] = sum;
      }
    }
    out.firstItem[out.count] = out.items;
    return out;
  }

  // Purchases in the order they happened (as production fills the table), not client by client.
  private chronological(): { purchases: Purchases; order: Uint32Array } {
    if (!this.purchases) {
      const purchases = this.generatePurchases();
      const order = new Uint32Array(purchases.count).map((_, k) => k);
      order.sort((a, b) => purchases.at[a] - purchases.at[b] || a - b);
      this.purchases = { purchases, order };
    }
    return this.purchases;
  }

  get items(): number {
    return this.chronological().purchases.items;
  }

  *purchaseChunks(rowsPerChunk = 2000): Generator<string> {
    const { purchases: pu, order } = this.chronological();
    let lines: string[] = [];
    for (const k of order) {
      const i = pu.customer[k];
      const iso = new Date(pu.at[k]).toISOString();
      const butlerId = this.ids.butlerIds[this.profiles[i].butler];
      const orderRef = `${BULK_ORDER_PREFIX}${String(i + 1).padStart(7, '0')}-${pu.seq[k]}`;
      const channel = CHANNELS_WEIGHTED[pu.channel[k]][0];
      const head = `${bulkUuid(KIND_PURCHASE, k)}\t${this.customerIds[i]}\t${butlerId}\t${orderRef}`;
      lines.push(`${head}\t${channel}\t${iso}\t${pu.totalFen[k]}\t${iso}`);
      if (lines.length >= rowsPerChunk) {
        yield `${lines.join('\n')}\n`;
        lines = [];
      }
    }
    if (lines.length > 0) yield `${lines.join('\n')}\n`;
  }

  *itemChunks(rowsPerChunk = 4000): Generator<string> {
    const { purchases: pu, order } = this.chronological();
    let lines: string[] = [];
    for (const k of order) {
      const purchaseId = bulkUuid(KIND_PURCHASE, k);
      for (let j = pu.firstItem[k]; j < pu.firstItem[k + 1]; j++) {
        const quantity = pu.itemQuantity[j];
        const price = pu.itemPrice[j];
        const productId = this.ids.productIds[pu.itemProduct[j]];
        lines.push(
          `${bulkUuid(KIND_ITEM, j)}\t${purchaseId}\t${productId}\t${quantity}\t${price}\t${quantity * price}`,
        );
      }
      if (lines.length >= rowsPerChunk) {
        yield `${lines.join('\n')}\n`;
        lines = [];
      }
    }
    if (lines.length > 0) yield `${lines.join('\n')}\n`;
  }
}

interface Purchases {
  count: number;
  customer: Int32Array;
  // 1-based number of the purchase within its client (the order number's suffix).
  seq: Int32Array;
  at: Float64Array;
  channel: Uint8Array;
  totalFen: Float64Array;
  // Items of purchase k are firstItem[k] … firstItem[k + 1] - 1.
  firstItem: Int32Array;
  itemProduct: Uint8Array;
  itemQuantity: Uint8Array;
  itemPrice: Int32Array;
  items: number;
}

// Midnight in Asia/Shanghai (UTC+8, no daylight saving) of the day containing `at`.
function startOfShanghaiDay(at: Date): number {
  const shifted = at.getTime() + 8 * HOUR_MS;
  return shifted - (shifted % DAY_MS) - 8 * HOUR_MS;
}

// Streams text chunks into `COPY … FROM STDIN`, waiting whenever the socket is full.
export async function copyRows(client: ClientBase, sql: string, chunks: Iterable<string>): Promise<number> {
  const stream = client.query(copyFrom(sql));
  const done = finished(stream);
  try {
    for (const chunk of chunks) {
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), done]);
    }
    stream.end();
    await done;
  } catch (error) {
    stream.destroy();
    await done.catch(() => undefined);
    throw error;
  }
  return Number(stream.rowCount);
}

export interface BulkReport {
  status: 'loaded' | 'present';
  customers: number;
  purchases: number;
  items: number;
  deleted?: { customers: number; purchases: number };
  steps: { step: string; rows: number; ms: number }[];
  elapsedMs: number;
}

async function timed<T>(
  steps: BulkReport['steps'],
  step: string,
  work: () => Promise<T>,
  rows: (result: T) => number,
  log: (line: string) => void,
): Promise<T> {
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  const n = rows(result);
  steps.push({ step, rows: n, ms });
  log(
    `  ${step.padEnd(24)} ${String(n).padStart(9)} rows  ${(ms / 1000).toFixed(1).padStart(6)} s  ` +
      `${n > 0 ? `${Math.round((n / ms) * 1000).toLocaleString('en-US')} rows/s` : ''}`,
  );
  return result;
}

const scalar = async (client: ClientBase, sql: string, params: unknown[] = []): Promise<number> =>
  Number((await client.query<{ n: string }>(sql, params)).rows[0].n);

export async function bulkButlerIds(client: ClientBase): Promise<string[]> {
  const rows = (
    await client.query<{ id: string; email: string }>('SELECT id, email FROM users WHERE email = ANY($1)', [
      BULK_BUTLER_EMAILS,
    ])
  ).rows;
  const byEmail = new Map(rows.map((r) => [r.email, r.id]));
  return BULK_BUTLER_EMAILS.map((e) => byEmail.get(e)).filter((id): id is string => id !== undefined);
}

// Clients that belong to the bulk data set: by their butler, or by the reserved mobile block
// (in case one was reassigned to another butler since).
const BULK_CUSTOMERS_SQL = `SELECT id FROM customers WHERE butler_id = ANY($1)
  OR (mobile >= '${BULK_MOBILE_PREFIX}0000000' AND mobile <= '${BULK_MOBILE_PREFIX}9999999')`;

export async function countBulkCustomers(client: ClientBase): Promise<number> {
  const butlers = await bulkButlerIds(client);
  if (butlers.length === 0) return 0;
  return scalar(client, 'SELECT count(*) AS n FROM customers WHERE butler_id = ANY($1) AND deleted_at IS NULL', [
    butlers,
  ]);
}

// Loads the bulk data set unless it is already there (then reports it and changes nothing);
// with reset, deletes the previous bulk rows first. The load is one transaction: all or nothing.
export async function seedBulk(
  client: ClientBase,
  options: BulkOptions & { reset: boolean },
  log: (line: string) => void = console.log,
): Promise<BulkReport> {
  const started = performance.now();
  const steps: BulkReport['steps'] = [];
  const existing = await countBulkCustomers(client);
  if (existing > 0 && !options.reset) {
    const butlers = await bulkButlerIds(client);
    const purchases = await scalar(client, 'SELECT count(*) AS n FROM purchases WHERE butler_id = ANY($1)', [butlers]);
    return {
      status: 'present',
      customers: existing,
      purchases,
      items: 0,
      steps,
      elapsedMs: performance.now() - started,
    };
  }
  let deleted: BulkReport['deleted'];
  if (options.reset) {
    // Its own transaction, then VACUUM: loading on top of a million dead index entries is twice
    // as slow. A failed load afterwards leaves no bulk data, and running again loads it.
    deleted = await timed(
      steps,
      'delete previous',
      () => inTransaction(client, () => deleteBulk(client)),
      (d) => d.customers + d.purchases,
      log,
    );
    await timed(
      steps,
      'vacuum',
      () => vacuumAnalyze(client),
      () => 0,
      log,
    );
  }
  const passwordHash = await hashPassword(BULK_PASSWORD);
  await client.query('BEGIN');
  try {
    // Durability of a load test's data set is not worth a flush per WAL segment.
    await client.query('SET LOCAL synchronous_commit = off');
    // Dropping an index waits for every open transaction on its table: fail clearly, do not hang.
    await client.query(`SET LOCAL lock_timeout = '10s'`);
    const staffIds = await timed(
      steps,
      'users',
      () => upsertStaff(client, passwordHash),
      (ids) => ids.length,
      log,
    );
    const butlerIds = staffIds.filter((_, k) => BULK_STAFF[k].role === 'butler');
    const productIds = await timed(
      steps,
      'products',
      () => upsertProducts(client),
      (ids) => ids.length,
      log,
    );
    const clash = await scalar(
      client,
      `SELECT count(*) AS n FROM customers WHERE deleted_at IS NULL AND mobile >= $1 AND mobile <= $2`,
      [`${BULK_MOBILE_PREFIX}0000000`, `${BULK_MOBILE_PREFIX}9999999`],
    );
    if (clash > 0)
      throw new Error(
        `${clash} clients already use mobiles in the reserved block ${BULK_MOBILE_PREFIX}xxxxxxx; run with --reset`,
      );

    const generator = await timed(
      steps,
      'generate clients',
      async () => new BulkGenerator(options, { butlerIds, productIds }),
      (g) => g.customerIds.length,
      log,
    );
    await timed(
      steps,
      'customers (COPY)',
      () =>
        copyRows(
          client,
          `COPY customers (id, name, mobile, email, gender, birthday_calendar, birthday_year, birthday_month,
             birthday_day, birthday_leap_month, city, tier, tags, butler_id, consent_greetings, consent_surveys,
             consent_updated_at, consent_source, notes, created_at, updated_at, name_pinyin, name_initials) FROM STDIN`,
          generator.customerChunks(),
        ),
      (n) => n,
      log,
    );
    await timed(
      steps,
      'taste_profiles (COPY)',
      () =>
        copyRows(
          client,
          'COPY taste_profiles (customer_id, aromas, abv_min, abv_max, price_min_fen, price_max_fen, brands, ' +
            'occasions, notes, updated_at) FROM STDIN',
          generator.tasteChunks(),
        ),
      (n) => n,
      log,
    );
    // Secondary indexes of the two big tables are dropped and rebuilt around their COPY: one sort
    // beats a million random B-tree inserts. Primary keys (and the foreign keys on them) stay.
    const secondary = await timed(
      steps,
      'drop secondary indexes',
      () => dropSecondaryIndexes(client, ['purchases', 'purchase_items']),
      (d) => d.length,
      log,
    );
    const purchases = await timed(
      steps,
      'purchases (COPY)',
      () =>
        copyRows(
          client,
          'COPY purchases (id, customer_id, butler_id, order_ref, channel, purchased_at, total_fen, created_at) ' +
            'FROM STDIN',
          generator.purchaseChunks(),
        ),
      (n) => n,
      log,
    );
    const items = await timed(
      steps,
      'purchase_items (COPY)',
      () =>
        copyRows(
          client,
          'COPY purchase_items (id, purchase_id, product_id, quantity, unit_price_fen, line_total_fen) FROM STDIN',
          generator.itemChunks(),
        ),
      (n) => n,
      log,
    );
    await timed(
      steps,
      'rebuild indexes',
      async () => {
        await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
        for (const definition of secondary) await client.query(definition);
        return secondary.length;
      },
      (n) => n,
      log,
    );
    // The clients' purchase statistics, derived from what was written, in one statement.
    await timed(
      steps,
      'customer statistics',
      async () =>
        (
          await client.query(
            `UPDATE customers c
             SET purchase_count = p.n, total_spent_fen = p.total, first_purchase_at = p.first,
               last_purchase_at = p.last
             FROM (SELECT customer_id, count(*)::int AS n, sum(total_fen) AS total, min(purchased_at) AS first,
               max(purchased_at) AS last
                   FROM purchases WHERE butler_id = ANY($1) GROUP BY customer_id) p
             WHERE p.customer_id = c.id`,
            [butlerIds],
          )
        ).rowCount ?? 0,
      (n) => n,
      log,
    );
    await client.query('COMMIT');
    // VACUUM as well as ANALYZE: it sets hint bits and the visibility map now, so the first
    // benchmark reading these pages does not pay for (and write) them.
    await timed(
      steps,
      'vacuum analyze',
      () => vacuumAnalyze(client),
      () => 0,
      log,
    );
    return {
      status: 'loaded',
      customers: generator.customerIds.length,
      purchases,
      items,
      deleted,
      steps,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function inTransaction<T>(client: ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function vacuumAnalyze(client: ClientBase): Promise<number> {
  await client.query('VACUUM (ANALYZE) users, products, customers, taste_profiles, purchases, purchase_items');
  return 0;
}

// Drops the indexes of these tables that no constraint owns and returns their exact definitions
// (names included), so the schema is the same after they are run again.
async function dropSecondaryIndexes(client: ClientBase, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid = ANY($1::regclass[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [tables],
  );
  for (const row of rows) await client.query(`DROP INDEX ${row.name}`);
  return rows.map((r) => r.definition);
}

async function deleteBulk(client: ClientBase): Promise<{ customers: number; purchases: number }> {
  const butlers = await bulkButlerIds(client);
  await client.query(`CREATE TEMP TABLE bulk_customer_ids ON COMMIT DROP AS ${BULK_CUSTOMERS_SQL}`, [butlers]);
  await client.query('ALTER TABLE bulk_customer_ids ADD PRIMARY KEY (id)');
  await client.query('ANALYZE bulk_customer_ids');
  await client.query(
    'DELETE FROM purchase_items i USING purchases p, bulk_customer_ids b WHERE i.purchase_id = p.id AND ' +
      'p.customer_id = b.id',
  );
  const purchases =
    (await client.query('DELETE FROM purchases p USING bulk_customer_ids b WHERE p.customer_id = b.id')).rowCount ?? 0;
  await client.query('DELETE FROM taste_profiles t USING bulk_customer_ids b WHERE t.customer_id = b.id');
  const customers =
    (await client.query('DELETE FROM customers c USING bulk_customer_ids b WHERE c.id = b.id')).rowCount ?? 0;
  return { customers, purchases };
}

// Managers first (butlers point at them); existing accounts are kept as they are.
async function upsertStaff(client: ClientBase, passwordHash: string): Promise<string[]> {
  const ids: string[] = [];
  for (const member of BULK_STAFF) {
    const managerId = member.manager === null ? null : ids[member.manager];
    await client.query(
      `INSERT INTO users (email, name, role, manager_id, password_hash) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO NOTHING`,
      [member.email, member.name, member.role, managerId, passwordHash],
    );
    ids.push((await client.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [member.email])).rows[0].id);
  }
  return ids;
}

async function upsertProducts(client: ClientBase): Promise<string[]> {
  const p = DEMO_PRODUCTS;
  await client.query(
    `INSERT INTO products (sku, name, brand, series, aroma, abv, volume_ml, price_fen, vintage, active)
     SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::aroma_type[], $6::numeric[],
                          $7::int[], $8::int[], $9::smallint[], $10::boolean[])
     ON CONFLICT (sku) DO NOTHING`,
    [
      p.map((x) => x.sku),
      p.map((x) => x.name),
      p.map((x) => x.brand),
      p.map((x) => x.series),
      p.map((x) => x.aroma),
      p.map((x) => x.abv),
      p.map((x) => x.volumeMl),
      p.map((x) => x.priceFen),
      p.map((x) => x.vintage),
      p.map((x) => x.active),
    ],
  );
  const rows = (
    await client.query<{ sku: string; id: string }>('SELECT sku, id FROM products WHERE sku = ANY($1)', [
      p.map((x) => x.sku),
    ])
  ).rows;
  const bySku = new Map(rows.map((r) => [r.sku, r.id]));
  return p.map((x) => {
    const id = bySku.get(x.sku);
    if (!id) throw new Error(`product ${x.sku} is missing`);
    return id;
  });
}
