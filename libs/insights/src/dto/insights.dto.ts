import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { AROMA_NAMES, AromaType } from '@app/catalog';

import type { ChurnRisk } from '../churn-risk';
import { RankedProduct, REASON_SEPARATOR } from '../recommendation-ranking';
import type { RfmScores, RfmSegment } from '../rfm';

export const RECOMMENDATIONS_DEFAULT_LIMIT = 5;
export const RECOMMENDATIONS_MAX_LIMIT = 20;

export class RecommendationsQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(RECOMMENDATIONS_MAX_LIMIT)
  limit?: number;
}

export interface CustomerMetricsView {
  customerId: string;
  purchaseCount: number;
  totalFen: number;
  avgOrderFen: number | null;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  recencyDays: number | null;
  purchasesPerYear: number;
  rfm: RfmScores | null;
  segment: RfmSegment;
  churnRisk: ChurnRisk;
  // The database clock the figures were computed at.
  asOf: string;
}

export interface RecommendedProductView {
  id: string;
  sku: string;
  name: string;
  brand: string;
  aroma: AromaType;
  aromaName: string;
  abv: number;
  priceFen: number;
}

export interface RecommendationView {
  product: RecommendedProductView;
  score: number;
  reasons: string[];
  reason: string;
}

export function mapRecommendation(r: RankedProduct): RecommendationView {
  const p = r.product;
  return {
    product: {
      id: p.id,
      sku: p.sku,
      name: p.name,
      brand: p.brand,
      aroma: p.aroma,
      aromaName: AROMA_NAMES[p.aroma],
      abv: p.abv,
      priceFen: p.priceFen,
    },
    score: r.score,
    reasons: r.reasons,
    reason: r.reasons.join(REASON_SEPARATOR),
  };
}
