import { AROMA_TYPES } from '@app/catalog';

import { DEMO_PRODUCTS } from './demo-data';
import { generateDemoClients } from './demo-generator';

describe('demo data', () => {
  it('is the same on every run', () => {
    expect(generateDemoClients()).toEqual(generateDemoClients());
  });

  it('makes 200 distinct clients spread over three butlers, each with a taste profile', () => {
    const clients = generateDemoClients();
    expect(clients).toHaveLength(200);
    expect(new Set(clients.map((c) => c.mobile)).size).toBe(200);
    expect(clients.every((c) => /^1[3-9]\d{9}$/.test(c.mobile))).toBe(true);
    expect(new Set(clients.map((c) => c.butlerIndex))).toEqual(new Set([0, 1, 2]));
    expect(clients.every((c) => c.taste.aromas.length === 2)).toBe(true);
    expect(new Set(clients.flatMap((c) => c.purchases.map((p) => p.orderRef))).size).toBe(
      clients.flatMap((c) => c.purchases).length,
    );
  });

  it('buys only known, active products', () => {
    const active = new Set(DEMO_PRODUCTS.filter((p) => p.active).map((p) => p.sku));
    const bought = generateDemoClients().flatMap((c) => c.purchases.flatMap((p) => p.items.map((i) => i.sku)));
    expect(bought.length).toBeGreaterThan(300);
    expect(bought.every((sku) => active.has(sku))).toBe(true);
  });

  it('has a catalog of about 40 products covering all 12 aroma types with unique SKUs', () => {
    expect(DEMO_PRODUCTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(DEMO_PRODUCTS.map((p) => p.aroma))).toEqual(new Set(AROMA_TYPES));
    expect(new Set(DEMO_PRODUCTS.map((p) => p.sku)).size).toBe(DEMO_PRODUCTS.length);
    expect(DEMO_PRODUCTS.every((p) => Number.isInteger(p.priceFen) && p.priceFen > 0)).toBe(true);
  });
});
