import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import { numberTransformer } from '@app/common';

// The 12 official aroma types (香型).
export const AROMA_TYPES = [
  'jiang',
  'nong',
  'qing',
  'mi',
  'feng',
  'jian',
  'zhima',
  'te',
  'chi',
  'yao',
  'laobaigan',
  'fuyu',
] as const;
export type AromaType = (typeof AROMA_TYPES)[number];

export const AROMA_NAMES: Record<AromaType, string> = {
  jiang: '酱香',
  nong: '浓香',
  qing: '清香',
  mi: '米香',
  feng: '凤香',
  jian: '兼香',
  zhima: '芝麻香',
  te: '特香',
  chi: '豉香',
  yao: '药香',
  laobaigan: '老白干香',
  fuyu: '馥郁香',
};

@Entity('products')
@Check('CK_products_price', 'price_fen >= 0')
@Check('CK_products_abv', 'abv > 0 AND abv <= 100')
@Check('CK_products_volume', 'volume_ml > 0')
@Index('IDX_products_active_aroma', ['aroma'], { where: 'active' })
export class ProductEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_products' })
  id!: string;

  @Index('UQ_products_sku', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  sku!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Index('IDX_products_brand')
  @Column({ type: 'varchar', length: 100 })
  brand!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  series!: string | null;

  @Column({ type: 'enum', enum: AROMA_TYPES, enumName: 'aroma_type' })
  aroma!: AromaType;

  // Percent by volume, one decimal (玉冰烧 is 29.5%).
  @Column({ type: 'numeric', precision: 4, scale: 1, transformer: numberTransformer })
  abv!: number;

  @Column({ type: 'int' })
  volumeMl!: number;

  @Column({ type: 'int' })
  priceFen!: number;

  @Column({ type: 'smallint', nullable: true })
  vintage!: number | null;

  // Inactive products stay in purchase history but are never recommended.
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
