import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';

import type { AromaType } from '@app/catalog';
import { numberTransformer } from '@app/common';

import { CustomerEntity } from './customer.entity';

export const OCCASIONS = ['gifting', 'banquet', 'collection', 'personal'] as const;
export type Occasion = (typeof OCCASIONS)[number];

export interface AromaPreference {
  type: AromaType;
  weight: number; // 0..1
}

@Entity('taste_profiles')
export class TasteProfileEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_taste_profiles' })
  customerId!: string;

  @OneToOne(() => CustomerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_taste_profiles_customer' })
  customer?: CustomerEntity;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  aromas!: AromaPreference[];

  @Column({ type: 'numeric', precision: 4, scale: 1, nullable: true, transformer: numberTransformer })
  abvMin!: number | null;

  @Column({ type: 'numeric', precision: 4, scale: 1, nullable: true, transformer: numberTransformer })
  abvMax!: number | null;

  @Column({ type: 'int', nullable: true })
  priceMinFen!: number | null;

  @Column({ type: 'int', nullable: true })
  priceMaxFen!: number | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  brands!: string[];

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  occasions!: Occasion[];

  @Column({ type: 'text', default: '' })
  notes!: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
