import type { AromaType } from '@app/catalog';
import type { Calendar, Gender, Occasion, Tier } from '@app/customers';
import type { PurchaseChannel } from '@app/purchases';

import {
  DEMO_CHANNELS,
  DEMO_CITIES,
  DEMO_GIVEN_NAMES,
  DEMO_OCCASIONS,
  DEMO_PRODUCTS,
  DEMO_SURNAMES,
  DEMO_TAGS,
  DemoProduct,
} from './demo-data';

// Deterministic demo clients: the same seed always yields the same people, tastes and orders,
// so the seed script can insert-if-missing and a second run changes nothing.

export interface DemoClient {
  index: number;
  name: string;
  mobile: string;
  email: string | null;
  gender: Gender;
  birthday: { calendar: Calendar; year: number; month: number; day: number; leapMonth: boolean } | null;
  city: string;
  tier: Tier;
  tags: string[];
  butlerIndex: number;
  consentGreetings: boolean;
  consentSurveys: boolean;
  notes: string;
  taste: {
    aromas: { type: AromaType; weight: number }[];
    abvMin: number;
    abvMax: number;
    priceMinFen: number;
    priceMaxFen: number;
    brands: string[];
    occasions: Occasion[];
  };
  purchases: DemoPurchase[];
}

export interface DemoPurchase {
  orderRef: string;
  channel: PurchaseChannel;
  daysAgo: number;
  hour: number;
  items: { sku: string; quantity: number; unitPriceFen: number }[];
}

// mulberry32: a tiny, well-known seeded PRNG; Math.random cannot be seeded.
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)];

function weighted<T>(rand: () => number, entries: [T, number][]): T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [value, w] of entries) {
    if ((r -= w) <= 0) return value;
  }
  return entries[entries.length - 1][0];
}

// Aroma popularity among this brand's clients: 酱香 and 浓香 dominate the high end.
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

const TIER_BUDGET: Record<Tier, [number, number]> = {
  regular: [10_000, 60_000],
  silver: [30_000, 120_000],
  gold: [60_000, 300_000],
  black: [100_000, 500_000],
};

export function generateDemoClients(count = 200, butlers = 3, seed = 20261122): DemoClient[] {
  const rand = prng(seed);
  const active = DEMO_PRODUCTS.filter((p) => p.active);
  const clients: DemoClient[] = [];
  for (let i = 0; i < count; i++) {
    const tier = weighted<Tier>(rand, [
      ['regular', 45],
      ['silver', 30],
      ['gold', 18],
      ['black', 7],
    ]);
    const primary = weighted(rand, AROMA_POPULARITY);
    let secondary = weighted(rand, AROMA_POPULARITY);
    if (secondary === primary) secondary = primary === 'nong' ? 'jiang' : 'nong';
    const [budgetMin, budgetMax] = TIER_BUDGET[tier];
    const strong = rand() < 0.7;
    const preferred = active.filter(
      (p) => (p.aroma === primary || p.aroma === secondary) && p.priceFen <= budgetMax * 1.5,
    );
    const pool = preferred.length > 0 ? preferred : active;
    const brands = [...new Set([pick(rand, pool).brand, ...(rand() < 0.4 ? [pick(rand, pool).brand] : [])])];
    const occasions = DEMO_OCCASIONS.filter(() => rand() < 0.45) as Occasion[];

    // Purchase rhythm: most clients buy every 1–4 months; some have drifted away.
    const drifting = rand() < 0.15;
    const purchaseCount = Math.floor(rand() * 7) + (tier === 'regular' ? 0 : 1);
    const interval = 25 + Math.floor(rand() * 90);
    const start = drifting ? 200 + Math.floor(rand() * 300) : Math.floor(rand() * 40);
    const purchases: DemoPurchase[] = [];
    for (let n = 0; n < purchaseCount; n++) {
      const lines = 1 + (rand() < 0.3 ? 1 : 0);
      const items = Array.from({ length: lines }, () => {
        const product: DemoProduct = rand() < 0.8 ? pick(rand, pool) : pick(rand, active);
        // Store price, now and then with the butler's discount.
        const unitPriceFen = rand() < 0.25 ? Math.round((product.priceFen * 0.95) / 100) * 100 : product.priceFen;
        return { sku: product.sku, quantity: 1 + Math.floor(rand() * (tier === 'black' ? 6 : 3)), unitPriceFen };
      });
      const unique = items.filter((item, k) => items.findIndex((o) => o.sku === item.sku) === k);
      purchases.push({
        orderRef: `DEMO-${String(i + 1).padStart(4, '0')}-${n + 1}`,
        channel: pick(rand, DEMO_CHANNELS),
        daysAgo: start + n * interval + Math.floor(rand() * 10),
        hour: 10 + Math.floor(rand() * 10),
        items: unique,
      });
    }

    const lunar = rand() < 0.35;
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * (lunar ? 30 : 28));
    const gender = weighted<Gender>(rand, [
      ['male', 70],
      ['female', 29],
      ['other', 1],
    ]);
    const abvMin = strong ? 50 : 38;
    clients.push({
      index: i,
      name: `${DEMO_SURNAMES[i % DEMO_SURNAMES.length]}${pick(rand, DEMO_GIVEN_NAMES)}`,
      // 139 0000 xxxx: one block of numbers, unique per client.
      mobile: `1390000${String(i + 1).padStart(4, '0')}`,
      email: rand() < 0.9 ? `client${String(i + 1).padStart(3, '0')}@example.com` : null,
      gender,
      birthday:
        rand() < 0.9
          ? { calendar: lunar ? 'lunar' : 'solar', year: 1955 + Math.floor(rand() * 45), month, day, leapMonth: false }
          : null,
      city: pick(rand, DEMO_CITIES),
      tier,
      tags: DEMO_TAGS.filter(() => rand() < 0.18).slice(0, 3),
      butlerIndex: i % butlers,
      consentGreetings: rand() < 0.85,
      consentSurveys: rand() < 0.8,
      notes: drifting ? '近半年未复购，需关注' : '',
      taste: {
        aromas: [
          { type: primary, weight: Math.round((0.7 + rand() * 0.3) * 100) / 100 },
          { type: secondary, weight: Math.round((0.2 + rand() * 0.4) * 100) / 100 },
        ],
        abvMin,
        abvMax: strong ? 54 : 46,
        priceMinFen: budgetMin,
        priceMaxFen: budgetMax,
        brands,
        occasions: occasions.length > 0 ? occasions : ['personal'],
      },
      purchases,
    });
  }
  return clients;
}
