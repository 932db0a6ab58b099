import { AROMA_NAMES, AromaType } from '@app/catalog';

// Ranking for "what to offer this client next": fit with the taste profile blended with
// item-to-item co-purchase; without a profile, co-purchase blended with what clients of the same
// tier buy most. The SQL only gathers the numbers; every weight and threshold lives here.

export interface CandidateProduct {
  id: string;
  sku: string;
  name: string;
  brand: string;
  aroma: AromaType;
  abv: number;
  priceFen: number;
}

export interface TasteSignals {
  aromas: { type: AromaType; weight: number }[];
  abvRange: [number, number] | null;
  priceRangeFen: [number, number] | null;
  brands: string[];
}

// Other clients who bought `seed` (one of this client's products) and also bought `productId`.
export interface CoPurchaseCount {
  seedProductId: string;
  seedName: string;
  productId: string;
  buyers: number;
}

export interface RankingInput {
  candidates: CandidateProduct[];
  taste: TasteSignals | null;
  coPurchases: CoPurchaseCount[];
  // Orders per product among clients of the same tier; only used without a profile.
  tierPopularity: Map<string, number> | null;
  limit: number;
}

export interface RankedProduct {
  product: CandidateProduct;
  score: number;
  reasons: string[];
}

// Share of each part of the profile in the fit, over the parts the profile sets.
const PROFILE_WEIGHTS = { aroma: 0.4, price: 0.25, abv: 0.15, brand: 0.2 };
// Share of each signal in the score, over the signals this client has.
const WITH_TASTE = { fit: 0.7, coPurchase: 0.3 };
const WITHOUT_TASTE = { coPurchase: 0.6, popularity: 0.4 };
// An abv this many points outside the range no longer fits at all.
const ABV_TOLERANCE = 10;
// A price this far outside the range (as a share of the nearer bound) no longer fits at all.
const PRICE_TOLERANCE = 0.5;
// A preferred aroma is named in the reasons from this weight up (or when it is the favourite).
const AROMA_REASON_WEIGHT = 0.5;
// Co-purchase and popularity are named when at least this share of the strongest candidate's.
const SIGNAL_REASON_SHARE = 0.5;

export const REASON_SEPARATOR = ' · ';

export function hasTaste(taste: TasteSignals | null): taste is TasteSignals {
  return (
    !!taste &&
    (taste.aromas.some((a) => a.weight > 0) ||
      taste.abvRange !== null ||
      taste.priceRangeFen !== null ||
      taste.brands.length > 0)
  );
}

function abvFit(abv: number, [min, max]: [number, number]): number {
  const distance = abv < min ? min - abv : abv > max ? abv - max : 0;
  return Math.max(0, 1 - distance / ABV_TOLERANCE);
}

function priceFit(price: number, [min, max]: [number, number]): number {
  if (price >= min && price <= max) return 1;
  const bound = price < min ? min : max;
  const share = bound > 0 ? Math.abs(price - bound) / bound : 1;
  return Math.max(0, 1 - share / PRICE_TOLERANCE);
}

interface Fit {
  value: number;
  reasons: string[];
  aromaWeight: number;
}

export function tasteFit(product: CandidateProduct, taste: TasteSignals): Fit {
  const parts: [number, number][] = [];
  const reasons: string[] = [];
  let aromaWeight = 0;
  if (taste.aromas.some((a) => a.weight > 0)) {
    aromaWeight = taste.aromas.find((a) => a.type === product.aroma)?.weight ?? 0;
    const favourite = Math.max(...taste.aromas.map((a) => a.weight));
    parts.push([PROFILE_WEIGHTS.aroma, aromaWeight]);
    if (aromaWeight > 0 && (aromaWeight >= AROMA_REASON_WEIGHT || aromaWeight === favourite))
      reasons.push(`偏好${AROMA_NAMES[product.aroma]}`);
  }
  if (taste.priceRangeFen) {
    const fit = priceFit(product.priceFen, taste.priceRangeFen);
    parts.push([PROFILE_WEIGHTS.price, fit]);
    if (fit === 1) reasons.push('价位匹配');
  }
  if (taste.abvRange) {
    const fit = abvFit(product.abv, taste.abvRange);
    parts.push([PROFILE_WEIGHTS.abv, fit]);
    if (fit === 1) reasons.push('度数合适');
  }
  if (taste.brands.length > 0) {
    const favourite = taste.brands.includes(product.brand);
    parts.push([PROFILE_WEIGHTS.brand, favourite ? 1 : 0]);
    if (favourite) reasons.push('喜爱的品牌');
  }
  const weights = parts.reduce((s, [w]) => s + w, 0);
  return { value: weights > 0 ? parts.reduce((s, [w, v]) => s + w * v, 0) / weights : 0, reasons, aromaWeight };
}

// Per candidate: co-buyers summed over this client's products, and the product they were most
// often bought with (ties by name, so the reason is stable).
function coPurchaseTotals(
  counts: CoPurchaseCount[],
): Map<string, { buyers: number; withName: string; withBuyers: number }> {
  const totals = new Map<string, { buyers: number; withName: string; withBuyers: number }>();
  for (const c of counts) {
    if (c.buyers <= 0) continue;
    const t = totals.get(c.productId);
    if (!t) {
      totals.set(c.productId, { buyers: c.buyers, withName: c.seedName, withBuyers: c.buyers });
      continue;
    }
    t.buyers += c.buyers;
    if (c.buyers > t.withBuyers || (c.buyers === t.withBuyers && c.seedName < t.withName)) {
      t.withName = c.seedName;
      t.withBuyers = c.buyers;
    }
  }
  return totals;
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

export function rankRecommendations(input: RankingInput): RankedProduct[] {
  const taste = hasTaste(input.taste) ? input.taste : null;
  const candidateIds = new Set(input.candidates.map((c) => c.id));
  const co = coPurchaseTotals(input.coPurchases.filter((c) => candidateIds.has(c.productId)));
  const coMax = Math.max(0, ...[...co.values()].map((t) => t.buyers));
  const popularity = taste ? null : input.tierPopularity;
  const popMax = popularity ? Math.max(0, ...input.candidates.map((c) => popularity.get(c.id) ?? 0)) : 0;

  // Weights of the signals this client actually has, rescaled to sum to 1.
  const signals = taste
    ? { fit: WITH_TASTE.fit, coPurchase: coMax > 0 ? WITH_TASTE.coPurchase : 0, popularity: 0 }
    : {
        fit: 0,
        coPurchase: coMax > 0 ? WITHOUT_TASTE.coPurchase : 0,
        popularity: popMax > 0 ? WITHOUT_TASTE.popularity : 0,
      };
  const total = signals.fit + signals.coPurchase + signals.popularity;
  if (total === 0) return [];

  const ranked: RankedProduct[] = [];
  for (const product of input.candidates) {
    const fit = taste ? tasteFit(product, taste) : { value: 0, reasons: [], aromaWeight: 0 };
    const coTotal = co.get(product.id);
    const coShare = coTotal && coMax > 0 ? coTotal.buyers / coMax : 0;
    const popShare = popularity && popMax > 0 ? (popularity.get(product.id) ?? 0) / popMax : 0;
    const score = round3(
      (signals.fit * fit.value + signals.coPurchase * coShare + signals.popularity * popShare) / total,
    );
    if (score <= 0) continue;

    const reasons = [...fit.reasons];
    const coReason = coTotal ? `常与${coTotal.withName}一同购买` : null;
    const popReason = popShare > 0 ? '同级别客户热销' : null;
    if (coReason && coShare >= SIGNAL_REASON_SHARE) reasons.push(coReason);
    if (popReason && popShare >= SIGNAL_REASON_SHARE) reasons.push(popReason);
    // Nothing strong enough to name: name the main thing that brought it here, if any.
    if (reasons.length === 0) {
      const fallback = [
        { share: signals.coPurchase * coShare, reason: coReason },
        { share: signals.popularity * popShare, reason: popReason },
        { share: signals.fit * PROFILE_WEIGHTS.aroma * fit.aromaWeight, reason: `偏好${AROMA_NAMES[product.aroma]}` },
      ]
        .filter((f): f is { share: number; reason: string } => f.share > 0 && f.reason !== null)
        .sort((a, b) => b.share - a.share)[0];
      if (!fallback) continue;
      reasons.push(fallback.reason);
    }
    ranked.push({ product, score, reasons });
  }
  // Highest score first; equal scores by SKU, so the order never depends on the database's.
  ranked.sort(
    (a, b) => b.score - a.score || (a.product.sku < b.product.sku ? -1 : a.product.sku > b.product.sku ? 1 : 0),
  );
  return ranked.slice(0, input.limit);
}
