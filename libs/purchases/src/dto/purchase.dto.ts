import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import { IsFen, IsOffsetDateTime, MAX_FEN, PageQueryDto } from '@app/common';

import { PURCHASE_CHANNELS, PurchaseChannel, PurchaseEntity } from '../entities/purchase.entity';

export class PurchaseItemDto {
  @IsUUID()
  @ApiProperty({ type: String, format: 'uuid' })
  productId!: string;

  @IsInt()
  @Min(1)
  @Max(10_000)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_000 })
  quantity!: number;

  @IsFen()
  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_FEN })
  unitPriceFen!: number;
}

export class CreatePurchaseDto {
  // The shop's order number; posting the same one again returns the first purchase.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/, {
    message: 'orderRef must be 1-64 letters, digits, ".", "_", ":", "/" or "-"',
  })
  @ApiProperty({ type: String, pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$' })
  orderRef!: string;

  @ApiProperty({ enum: PURCHASE_CHANNELS })
  @IsIn(PURCHASE_CHANNELS)
  channel!: PurchaseChannel;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-22T10:00:00+08:00' })
  @IsOffsetDateTime()
  purchasedAt!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  // Each an object: ValidateNested passes a nested array ([[]]) through.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PurchaseItemDto)
  @ApiProperty({ type: () => PurchaseItemDto, isArray: true, minItems: 1, maxItems: 100 })
  items!: PurchaseItemDto[];
}

export class ListPurchasesQueryDto extends PageQueryDto {}

export class PurchaseLineDto {
  @ApiProperty({ format: 'uuid' })
  productId!: string;

  @ApiProperty({ type: String, nullable: true })
  productName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  sku!: string | null;

  @ApiProperty()
  quantity!: number;

  @ApiProperty()
  unitPriceFen!: number;

  @ApiProperty()
  lineTotalFen!: number;
}

export class PurchaseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  // The client's butler when the purchase was made.
  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty()
  orderRef!: string;

  @ApiProperty({ enum: PURCHASE_CHANNELS })
  channel!: PurchaseChannel;

  @ApiProperty({ format: 'date-time' })
  purchasedAt!: string;

  @ApiProperty()
  totalFen!: number;

  @ApiProperty({ type: () => PurchaseLineDto, isArray: true })
  items!: PurchaseLineDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export function mapPurchase(p: PurchaseEntity): PurchaseDto {
  return {
    id: p.id,
    customerId: p.customerId,
    butlerId: p.butlerId,
    orderRef: p.orderRef,
    channel: p.channel,
    purchasedAt: p.purchasedAt.toISOString(),
    totalFen: p.totalFen,
    // In one stable order (by SKU, then line), so an order posted again answers the same body.
    items: [...(p.items ?? [])]
      .sort((a, b) => (a.product?.sku ?? '').localeCompare(b.product?.sku ?? '') || a.id.localeCompare(b.id))
      .map((i) => ({
        productId: i.productId,
        productName: i.product?.name ?? null,
        sku: i.product?.sku ?? null,
        quantity: i.quantity,
        unitPriceFen: i.unitPriceFen,
        lineTotalFen: i.lineTotalFen,
      })),
    createdAt: p.createdAt.toISOString(),
  };
}
