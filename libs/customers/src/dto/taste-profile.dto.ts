import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

import { AROMA_TYPES, AromaType } from '@app/catalog';
import { hasDecimalPlaces, IsDecimalNumber, isFenAmount, IsRange } from '@app/common';

import { Occasion, OCCASIONS, TasteProfileEntity } from '../entities/taste-profile.entity';

export class AromaWeightDto {
  @ApiProperty({ enum: AROMA_TYPES })
  @IsIn(AROMA_TYPES)
  type!: AromaType;

  @IsDecimalNumber(3)
  @Min(0)
  @Max(1)
  @ApiProperty({ type: Number, minimum: 0, maximum: 1, description: 'At most three decimals' })
  weight!: number;
}

// Stored as numeric(4,1) and integer: more decimals or a larger amount would not be stored as sent.
const isAbv = (v: unknown) => hasDecimalPlaces(v, 1) && (v as number) >= 0 && (v as number) <= 100;

export class TasteProfileDto {
  @IsArray()
  @ArrayMaxSize(12)
  // Each an object: ValidateNested passes a nested array ([[]]) through.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AromaWeightDto)
  @ApiProperty({ type: () => AromaWeightDto, isArray: true, maxItems: 12 })
  aromas!: AromaWeightDto[];

  @ApiPropertyOptional({ type: [Number], minItems: 2, maxItems: 2, nullable: true, example: [50, 54] })
  @IsOptional()
  @IsRange(isAbv, 'percentages 0-100 (one decimal)')
  abvRange?: [number, number] | null;

  @ApiPropertyOptional({ type: [Number], minItems: 2, maxItems: 2, nullable: true, example: [80000, 200000] })
  @IsOptional()
  @IsRange(isFenAmount, 'whole fen amounts')
  priceRangeFen?: [number, number] | null;

  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  @ApiPropertyOptional({ type: [String], maxItems: 20, description: 'Each 1–50 characters' })
  brands?: string[];

  // At most 4; no maxItems, which the generated types would turn into a union of tuples.
  @ApiPropertyOptional({ enum: OCCASIONS, isArray: true, description: 'At most 4' })
  @IsOptional()
  @ArrayMaxSize(4)
  @IsIn(OCCASIONS, { each: true })
  occasions?: Occasion[];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @ApiPropertyOptional({ type: String, maxLength: 2000 })
  notes?: string;
}

export class TasteAromaDto {
  @ApiProperty({ enum: AROMA_TYPES })
  type!: AromaType;

  @ApiProperty({ minimum: 0, maximum: 1 })
  weight!: number;
}

export class TasteProfileView {
  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty({ type: () => TasteAromaDto, isArray: true })
  aromas!: TasteAromaDto[];

  // [min, max] % abv.
  @ApiProperty({ type: [Number], minItems: 2, maxItems: 2, nullable: true, example: [50, 54] })
  abvRange!: [number, number] | null;

  // [min, max] in fen.
  @ApiProperty({ type: [Number], minItems: 2, maxItems: 2, nullable: true, example: [80000, 200000] })
  priceRangeFen!: [number, number] | null;

  @ApiProperty({ type: [String] })
  brands!: string[];

  @ApiProperty({ enum: OCCASIONS, isArray: true })
  occasions!: Occasion[];

  @ApiProperty()
  notes!: string;

  // Null while the client has no taste profile yet.
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt!: string | null;
}

export function mapTasteProfile(customerId: string, p: TasteProfileEntity | null): TasteProfileView {
  return {
    customerId,
    aromas: p?.aromas ?? [],
    abvRange: p && p.abvMin !== null && p.abvMax !== null ? [p.abvMin, p.abvMax] : null,
    priceRangeFen: p && p.priceMinFen !== null && p.priceMaxFen !== null ? [p.priceMinFen, p.priceMaxFen] : null,
    brands: p?.brands ?? [],
    occasions: p?.occasions ?? [],
    notes: p?.notes ?? '',
    updatedAt: p?.updatedAt.toISOString() ?? null,
  };
}
