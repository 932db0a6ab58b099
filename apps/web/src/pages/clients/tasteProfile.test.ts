import type { TasteProfile } from '../../api/customers';
import { DEFAULT_ABV, fromTasteProfile, toTasteBody } from './tasteProfile';

const profile: TasteProfile = {
  customerId: 'c1',
  aromas: [
    { type: 'jiang', weight: 0.9 },
    { type: 'nong', weight: 0.3 },
  ],
  abvRange: [50, 54],
  priceRangeFen: [80000, 200000],
  brands: ['贵州茅台'],
  occasions: ['banquet', 'gifting'],
  notes: '',
  updatedAt: '2026-11-22T02:00:00.000Z',
};

describe('taste profile editor ↔ PUT /customers/:id/taste-profile', () => {
  it('round-trips: weights as percent sliders, prices in yuan, back to weights and fen', () => {
    const values = fromTasteProfile(profile);
    expect(values.aromas.jiang).toBe(90);
    expect(values.aromas.qing).toBe(0);
    expect(values.priceMinYuan).toBe(800);
    expect(values.priceMaxYuan).toBe(2000);
    expect(toTasteBody(values)).toEqual({
      aromas: [
        { type: 'jiang', weight: 0.9 },
        { type: 'nong', weight: 0.3 },
      ],
      abvRange: [50, 54],
      priceRangeFen: [80000, 200000],
      brands: ['贵州茅台'],
      occasions: ['gifting', 'banquet'],
      notes: '',
    });
  });

  it('drops zero weights, sends no abv range when switched off, and orders a reversed price range', () => {
    const values = fromTasteProfile(profile);
    const body = toTasteBody({
      ...values,
      aromas: { ...values.aromas, jiang: 0, chi: 35 },
      abvEnabled: false,
      priceMinYuan: 1999.99,
      priceMaxYuan: 99.5,
    });
    expect(body.aromas).toEqual([
      { type: 'nong', weight: 0.3 },
      { type: 'chi', weight: 0.35 },
    ]);
    expect(body.abvRange).toBeNull();
    expect(body.priceRangeFen).toEqual([9950, 199999]);
  });

  it('starts an empty profile with every aroma at zero and no ranges', () => {
    const values = fromTasteProfile(undefined);
    expect(Object.values(values.aromas).every((w) => w === 0)).toBe(true);
    expect(values.abv).toEqual(DEFAULT_ABV);
    expect(toTasteBody(values)).toEqual({
      aromas: [],
      abvRange: null,
      priceRangeFen: null,
      brands: [],
      occasions: [],
      notes: '',
    });
    expect(toTasteBody({ ...values, priceMinYuan: 100, priceMaxYuan: null }).priceRangeFen).toBeNull();
  });
});
