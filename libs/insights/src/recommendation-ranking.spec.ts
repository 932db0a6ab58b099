import {
  CandidateProduct,
  CoPurchaseCount,
  hasTaste,
  RankingInput,
  rankRecommendations,
  tasteFit,
  TasteSignals,
} from './recommendation-ranking';

const product = (sku: string, over: Partial<CandidateProduct> = {}): CandidateProduct => ({
  id: `id-${sku}`,
  sku,
  name: `名-${sku}`,
  brand: '某酒厂',
  aroma: 'nong',
  abv: 52,
  priceFen: 100_000,
  ...over,
});

const feitian = product('MT-FT', { name: '飞天茅台', brand: '贵州茅台', aroma: 'jiang', abv: 53, priceFen: 249_900 });
const junpin = product('XJ-JP', { name: '习酒君品', brand: '习酒', aroma: 'jiang', abv: 53, priceFen: 99_900 });
const qinghua = product('FJ-QH30', { name: '青花汾30', brand: '山西汾酒', aroma: 'qing', abv: 53, priceFen: 89_900 });
const bofen = product('FJ-BF', { name: '玻汾', brand: '山西汾酒', aroma: 'qing', abv: 53, priceFen: 5_900 });
const pw8 = product('WLY-PW8', { name: '普五', brand: '五粮液', aroma: 'nong', abv: 52, priceFen: 99_900 });

const jiangLover: TasteSignals = {
  aromas: [
    { type: 'jiang', weight: 0.9 },
    { type: 'nong', weight: 0.3 },
  ],
  abvRange: [50, 54],
  priceRangeFen: [80_000, 200_000],
  brands: ['贵州茅台'],
};
const qingLover: TasteSignals = {
  aromas: [{ type: 'qing', weight: 1 }],
  abvRange: [50, 54],
  priceRangeFen: [80_000, 200_000],
  brands: ['山西汾酒'],
};

function rank(over: Partial<RankingInput>) {
  return rankRecommendations({
    candidates: [feitian, junpin, qinghua, bofen, pw8],
    taste: null,
    coPurchases: [],
    tierPopularity: null,
    limit: 5,
    ...over,
  });
}

describe('tasteFit', () => {
  it('is 1 for a product that matches every part of the profile, with every reason', () => {
    const fit = tasteFit(product('X', { brand: '贵州茅台', aroma: 'jiang', abv: 53, priceFen: 150_000 }), {
      ...jiangLover,
      aromas: [{ type: 'jiang', weight: 1 }],
    });
    expect(fit.value).toBe(1);
    expect(fit.reasons).toEqual(['偏好酱香', '价位匹配', '度数合适', '喜爱的品牌']);
  });

  it('weighs the aroma by its preference and fades price and abv outside their ranges', () => {
    const nong = tasteFit(pw8, jiangLover);
    // aroma 0.3 × 0.4 + price 1 × 0.25 + abv 1 × 0.15 + brand 0 × 0.2
    expect(nong.value).toBeCloseTo(0.52, 5);
    expect(nong.reasons).toEqual(['价位匹配', '度数合适']);
    // 25% over the top of the range is half a price fit; 5 points of abv too strong is half an abv fit.
    const pricey = tasteFit(product('P', { aroma: 'jiang', priceFen: 250_000, abv: 59 }), {
      ...jiangLover,
      brands: [],
    });
    expect(pricey.value).toBeCloseTo((0.4 * 0.9 + 0.25 * 0.5 + 0.15 * 0.5) / 0.8, 5);
  });

  it('counts only the parts of the profile that are set', () => {
    const fit = tasteFit(junpin, {
      aromas: [{ type: 'jiang', weight: 0.4 }],
      abvRange: null,
      priceRangeFen: null,
      brands: [],
    });
    expect(fit.value).toBeCloseTo(0.4, 10);
    // The favourite aroma is named even below 0.5.
    expect(fit.reasons).toEqual(['偏好酱香']);
  });

  it('treats a profile with nothing set as no profile', () => {
    expect(hasTaste({ aromas: [{ type: 'jiang', weight: 0 }], abvRange: null, priceRangeFen: null, brands: [] })).toBe(
      false,
    );
    expect(hasTaste(null)).toBe(false);
    expect(hasTaste({ aromas: [], abvRange: null, priceRangeFen: null, brands: ['习酒'] })).toBe(true);
  });
});

describe('rankRecommendations', () => {
  it('ranks by taste: a jiang lover gets jiang first, a qing lover qing first', () => {
    const jiang = rank({ taste: jiangLover });
    // 飞天 is over the price range but of the favourite brand; 君品 fits the price.
    expect(jiang.slice(0, 2).map((r) => [r.product.sku, r.score, r.reasons])).toEqual([
      ['MT-FT', 0.835, ['偏好酱香', '度数合适', '喜爱的品牌']],
      ['XJ-JP', 0.76, ['偏好酱香', '价位匹配', '度数合适']],
    ]);
    const qing = rank({ taste: qingLover });
    expect(qing[0]).toMatchObject({
      product: { sku: 'FJ-QH30' },
      score: 1,
      reasons: ['偏好清香', '价位匹配', '度数合适', '喜爱的品牌'],
    });
    expect(qing.findIndex((r) => r.product.sku === 'MT-FT')).toBeGreaterThan(
      qing.findIndex((r) => r.product.sku === 'FJ-BF'),
    );
  });

  it('blends in co-purchase and names the product it is bought with', () => {
    const co: CoPurchaseCount[] = [
      { seedProductId: 'seed-1', seedName: '飞天茅台', productId: pw8.id, buyers: 6 },
      { seedProductId: 'seed-2', seedName: '国窖1573', productId: pw8.id, buyers: 2 },
      { seedProductId: 'seed-1', seedName: '飞天茅台', productId: qinghua.id, buyers: 1 },
    ];
    const ranked = rank({ taste: jiangLover, coPurchases: co });
    const pw = ranked.find((r) => r.product.sku === 'WLY-PW8')!;
    // 0.7 × 0.52 fit + 0.3 × 8/8 co-purchase
    expect(pw.score).toBe(0.664);
    expect(pw.reasons).toEqual(['价位匹配', '度数合适', '常与飞天茅台一同购买']);
    // A weak link (1 of 8) adds to the score but is not named.
    expect(ranked.find((r) => r.product.sku === 'FJ-QH30')!.reasons).not.toContain('常与飞天茅台一同购买');
  });

  it('ignores co-purchases of products that are not candidates (inactive, recently bought)', () => {
    const co: CoPurchaseCount[] = [
      { seedProductId: 's', seedName: '飞天茅台', productId: 'id-GONE', buyers: 50 },
      { seedProductId: 's', seedName: '飞天茅台', productId: pw8.id, buyers: 1 },
    ];
    const pw = rank({ taste: jiangLover, coPurchases: co }).find((r) => r.product.sku === 'WLY-PW8')!;
    expect(pw.reasons).toContain('常与飞天茅台一同购买');
  });

  it('falls back to what the tier buys most when there is no profile', () => {
    const ranked = rank({
      taste: null,
      tierPopularity: new Map([
        [bofen.id, 40],
        [pw8.id, 10],
        ['id-other', 99],
      ]),
    });
    expect(ranked.map((r) => [r.product.sku, r.score, r.reasons])).toEqual([
      ['FJ-BF', 1, ['同级别客户热销']],
      ['WLY-PW8', 0.25, ['同级别客户热销']],
    ]);
  });

  it('blends co-purchase and tier popularity without a profile', () => {
    const ranked = rank({
      taste: null,
      tierPopularity: new Map([
        [bofen.id, 10],
        [pw8.id, 10],
      ]),
      coPurchases: [{ seedProductId: 's', seedName: '飞天茅台', productId: pw8.id, buyers: 3 }],
    });
    expect(ranked.map((r) => [r.product.sku, r.score])).toEqual([
      ['WLY-PW8', 1],
      ['FJ-BF', 0.4],
    ]);
    expect(ranked[0].reasons).toEqual(['常与飞天茅台一同购买', '同级别客户热销']);
  });

  it('returns nothing when there is neither a profile, a co-purchase nor a popular product', () => {
    expect(rank({})).toEqual([]);
    expect(rank({ tierPopularity: new Map() })).toEqual([]);
  });

  it('breaks ties by SKU and honours the limit', () => {
    const twins = [
      product('B-2', { aroma: 'jiang' }),
      product('A-1', { aroma: 'jiang' }),
      product('C-3', { aroma: 'jiang' }),
    ];
    const ranked = rankRecommendations({
      candidates: twins,
      taste: { aromas: [{ type: 'jiang', weight: 1 }], abvRange: null, priceRangeFen: null, brands: [] },
      coPurchases: [],
      tierPopularity: null,
      limit: 2,
    });
    expect(ranked.map((r) => r.product.sku)).toEqual(['A-1', 'B-2']);
  });

  it('leaves out products with nothing in their favour', () => {
    const ranked = rank({
      taste: { aromas: [{ type: 'jiang', weight: 1 }], abvRange: null, priceRangeFen: null, brands: [] },
    });
    expect(ranked.map((r) => r.product.sku)).toEqual(['MT-FT', 'XJ-JP']);
  });
});
