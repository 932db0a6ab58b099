import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { AROMA_NAMES, AROMA_TYPES, AromaType } from '@app/catalog';

import type { ChurnReason, ChurnReasonCode, ChurnRisk } from '../churn-risk';
import { RankedProduct, REASON_SEPARATOR } from '../recommendation-ranking';
import { RFM_SEGMENT_KEYS, type RfmScore, type RfmScores, type RfmSegment, type RfmSegmentKey } from '../rfm';

export const RECOMMENDATIONS_DEFAULT_LIMIT = 5;
export const RECOMMENDATIONS_MAX_LIMIT = 20;

export class RecommendationsQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(RECOMMENDATIONS_MAX_LIMIT)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: RECOMMENDATIONS_MAX_LIMIT })
  limit?: number;
}

export class RfmScoresDto implements RfmScores {
  @ApiProperty({ enum: [1, 2, 3, 4, 5] })
  recency!: RfmScore;

  @ApiProperty({ enum: [1, 2, 3, 4, 5] })
  frequency!: RfmScore;

  @ApiProperty({ enum: [1, 2, 3, 4, 5] })
  monetary!: RfmScore;
}

export class RfmSegmentDto implements RfmSegment {
  @ApiProperty({ enum: RFM_SEGMENT_KEYS })
  key!: RfmSegmentKey;

  // The segment's Chinese name (重要价值客户, …).
  @ApiProperty()
  name!: string;
}

const CHURN_REASON_CODES: readonly ChurnReasonCode[] = [
  'overdue_repurchase',
  'single_purchase_lapsed',
  'recent_detractor',
  'wecom_removed',
];

export class ChurnReasonDto implements ChurnReason {
  @ApiProperty({ enum: CHURN_REASON_CODES })
  code!: ChurnReasonCode;

  @ApiProperty()
  message!: string;
}

export class ChurnRiskDto implements ChurnRisk {
  @ApiProperty()
  atRisk!: boolean;

  @ApiProperty({ type: () => ChurnReasonDto, isArray: true })
  reasons!: ChurnReasonDto[];

  @ApiProperty({ type: Number, nullable: true })
  typicalIntervalDays!: number | null;

  // At risk after k times the typical interval (settings.churn.k).
  @ApiProperty()
  k!: number;
}

export class CustomerMetricsView {
  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty()
  purchaseCount!: number;

  @ApiProperty()
  totalFen!: number;

  @ApiProperty({ type: Number, nullable: true })
  avgOrderFen!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  firstPurchaseAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastPurchaseAt!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  recencyDays!: number | null;

  @ApiProperty()
  purchasesPerYear!: number;

  @ApiProperty({ type: () => RfmScoresDto, nullable: true })
  rfm!: RfmScoresDto | null;

  @ApiProperty({ type: () => RfmSegmentDto })
  segment!: RfmSegmentDto;

  @ApiProperty({ type: () => ChurnRiskDto })
  churnRisk!: ChurnRiskDto;

  // The database clock the figures were computed at.
  @ApiProperty({ format: 'date-time' })
  asOf!: string;
}

export class RecommendedProductView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  sku!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  brand!: string;

  @ApiProperty({ enum: AROMA_TYPES })
  aroma!: AromaType;

  @ApiProperty()
  aromaName!: string;

  @ApiProperty()
  abv!: number;

  @ApiProperty()
  priceFen!: number;
}

export class RecommendationView {
  @ApiProperty({ type: () => RecommendedProductView })
  product!: RecommendedProductView;

  @ApiProperty()
  score!: number;

  @ApiProperty({ type: [String] })
  reasons!: string[];

  // The reasons as one sentence.
  @ApiProperty()
  reason!: string;
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
