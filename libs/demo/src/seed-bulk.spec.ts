import { nameSearchKeys } from '@app/customers';

import { DEMO_PRODUCTS } from './demo-data';
import { BulkGenerator, bulkUuid } from './seed-bulk';

const ids = {
  butlerIds: Array.from({ length: 10 }, (_, k) => bulkUuid(0xa01, k)),
  productIds: DEMO_PRODUCTS.map((_, k) => bulkUuid(0xa02, k)),
};
const now = new Date('2026-11-22T10:00:00+08:00');

function rows(chunks: Iterable<string>): string[][] {
  return [...chunks]
    .join('')
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t'));
}

describe('bulk data set', () => {
  const generator = new BulkGenerator({ customers: 2_000, purchases: 20_000, seed: 7, now }, ids);
  const customers = rows(generator.customerChunks());
  const purchases = rows(generator.purchaseChunks());
  const items = rows(generator.itemChunks());

  it('is the same on every run', () => {
    const again = new BulkGenerator({ customers: 2_000, purchases: 20_000, seed: 7, now }, ids);
    expect(rows(again.customerChunks())).toEqual(customers);
    expect(rows(again.purchaseChunks())).toEqual(purchases);
    expect(rows(again.itemChunks())).toEqual(items);
  });

  it('makes exactly the clients and purchases asked for, with unique ids, mobiles and order numbers', () => {
    expect(customers).toHaveLength(2_000);
    expect(purchases).toHaveLength(20_000);
    expect(new Set(customers.map((c) => c[0])).size).toBe(2_000);
    expect(new Set(customers.map((c) => c[2])).size).toBe(2_000);
    expect(customers.every((c) => /^1370\d{7}$/.test(c[2]))).toBe(true);
    expect(new Set(purchases.map((p) => p[0])).size).toBe(20_000);
    expect(new Set(purchases.map((p) => p[3])).size).toBe(20_000);
    expect(new Set(items.map((i) => i[0])).size).toBe(items.length);
    expect(
      customers.every((c) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(c[0])),
    ).toBe(true);
  });

  it('books each purchase to the client’s butler, totals its items, and lists them oldest first, in the past', () => {
    const butlerOf = new Map(customers.map((c) => [c[0], c[13]]));
    expect(purchases.every((p) => butlerOf.get(p[1]) === p[2])).toBe(true);
    const totals = new Map<string, number>();
    for (const i of items) totals.set(i[1], (totals.get(i[1]) ?? 0) + Number(i[5]));
    expect(purchases.every((p) => totals.get(p[0]) === Number(p[6]))).toBe(true);
    const times = purchases.map((p) => Date.parse(p[5]));
    expect(times.every((t, k) => k === 0 || t >= times[k - 1])).toBe(true);
    expect(Math.max(...times)).toBeLessThan(now.getTime());
    expect(Math.min(...times)).toBeGreaterThan(now.getTime() - 3 * 366 * 86_400_000);
  });

  it('writes each name’s pinyin and initials, as the app does', () => {
    const [name, pinyin, initials] = [customers[0][1], customers[0][21], customers[0][22]];
    expect(name).toMatch(/^\p{Script=Han}{2,4}$/u);
    expect({ pinyin, initials }).toEqual(nameSearchKeys(name));
    expect(customers.every((c) => c.length === 23 && /^[a-z]+$/.test(c[21]) && /^[a-z]{2,4}$/.test(c[22]))).toBe(true);
  });

  it('spreads clients over all ten butlers and buys only active products', () => {
    expect(new Set(customers.map((c) => c[13])).size).toBe(10);
    const active = new Set(DEMO_PRODUCTS.flatMap((p, k) => (p.active ? [ids.productIds[k]] : [])));
    expect(items.every((i) => active.has(i[2]))).toBe(true);
  });
});
