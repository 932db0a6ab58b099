import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';

export class ChurnSettingsDto {
  // At risk after k times the client's own typical gap between purchases.
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(1)
  @Max(10)
  k!: number;

  // For a client with one purchase (no gap yet): at risk after this many days.
  @IsInt()
  @Min(7)
  @Max(3650)
  singlePurchaseDays!: number;

  // A detractor survey answer (NPS 0-6 or CSAT 1-2) within this many days marks the client at risk.
  @IsInt()
  @Min(1)
  @Max(365)
  detractorDays!: number;
}

export interface Settings {
  churn: ChurnSettingsDto;
}

export const DEFAULT_SETTINGS: Settings = {
  churn: { k: 2, singlePurchaseDays: 180, detractorDays: 90 },
};

export class UpdateSettingsDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => ChurnSettingsDto)
  churn?: ChurnSettingsDto;
}
