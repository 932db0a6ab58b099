import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

import { IsDecimalNumber, IsFen, MAX_FEN, trimString } from '@app/common';

import { AROMA_NAMES, AROMA_TYPES, AromaType, ProductEntity } from '../entities/product.entity';

export class CreateProductDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[A-Z0-9][A-Z0-9._-]{0,63}$/, { message: 'sku must be 1-64 letters, digits, ".", "_" or "-"' })
  @ApiProperty({ type: String, pattern: '^[A-Z0-9][A-Z0-9._-]{0,63}$', description: 'Upper-cased on input' })
  sku!: string;

  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @ApiProperty({ type: String, minLength: 1, maxLength: 200 })
  name!: string;

  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiProperty({ type: String, minLength: 1, maxLength: 100 })
  brand!: string;

  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ type: String, maxLength: 100, nullable: true })
  series?: string | null;

  @ApiProperty({ enum: AROMA_TYPES })
  @IsIn(AROMA_TYPES)
  aroma!: AromaType;

  @IsDecimalNumber(1)
  @Min(0.1)
  @Max(100)
  @ApiProperty({ type: Number, minimum: 0.1, maximum: 100, description: 'Percent, one decimal' })
  abv!: number;

  @IsInt()
  @Min(1)
  @Max(100_000)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100_000 })
  volumeMl!: number;

  @IsFen()
  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_FEN, description: 'Fen' })
  priceFen!: number;

  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  @ApiPropertyOptional({ type: 'integer', minimum: 1900, maximum: 2100, nullable: true })
  vintage?: number | null;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  active?: boolean;
}

export class UpdateProductDto extends PartialType(CreateProductDto) {}

export class ListProductsQueryDto {
  @ApiPropertyOptional({ enum: AROMA_TYPES })
  @IsOptional()
  @IsIn(AROMA_TYPES)
  aroma?: AromaType;

  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ type: String, maxLength: 100 })
  brand?: string;

  // Name, SKU or brand contains this.
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 100 })
  q?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  active?: boolean;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500 })
  limit?: number;
}

export class ProductDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  sku!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  brand!: string;

  @ApiProperty({ type: String, nullable: true })
  series!: string | null;

  @ApiProperty({ enum: AROMA_TYPES })
  aroma!: AromaType;

  // The aroma type's Chinese name (酱香, 浓香, …).
  @ApiProperty()
  aromaName!: string;

  // Alcohol by volume, in %.
  @ApiProperty()
  abv!: number;

  @ApiProperty()
  volumeMl!: number;

  @ApiProperty()
  priceFen!: number;

  @ApiProperty({ type: Number, nullable: true })
  vintage!: number | null;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export function mapProduct(p: ProductEntity): ProductDto {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    brand: p.brand,
    series: p.series,
    aroma: p.aroma,
    aromaName: AROMA_NAMES[p.aroma],
    abv: p.abv,
    volumeMl: p.volumeMl,
    priceFen: p.priceFen,
    vintage: p.vintage,
    active: p.active,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
