import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
} from 'typeorm';

import { ProductEntity } from '@app/catalog';
import { numberTransformer } from '@app/common';
import { CustomerEntity } from '@app/customers';
import { UserEntity } from '@app/users';

export const PURCHASE_CHANNELS = ['store', 'wechat', 'phone', 'event', 'online', 'other'] as const;
export type PurchaseChannel = (typeof PURCHASE_CHANNELS)[number];

@Entity('purchases')
@Index('IDX_purchases_customer_time', ['customerId', 'purchasedAt'])
@Check('CK_purchases_total', 'total_fen >= 0')
export class PurchaseEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_purchases' })
  id!: string;

  @Column({ type: 'uuid' })
  customerId!: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_purchases_customer' })
  customer?: CustomerEntity;

  // The client's butler when the purchase was made, whoever looks after them later.
  @Index('IDX_purchases_butler')
  @Column({ type: 'uuid' })
  butlerId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'butler_id', foreignKeyConstraintName: 'FK_purchases_butler' })
  butler?: UserEntity;

  // The shop's order number: posting the same one again returns this purchase.
  @Index('UQ_purchases_order_ref', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  orderRef!: string;

  @Column({ type: 'enum', enum: PURCHASE_CHANNELS, enumName: 'purchase_channel' })
  channel!: PurchaseChannel;

  @Column({ type: 'timestamptz' })
  purchasedAt!: Date;

  @Column({ type: 'bigint', transformer: numberTransformer })
  totalFen!: number;

  @OneToMany(() => PurchaseItemEntity, (item) => item.purchase, { cascade: ['insert'] })
  items!: PurchaseItemEntity[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity('purchase_items')
// Co-purchase (recommendations) samples the orders containing a product from this index alone.
@Index('IDX_purchase_items_product_purchase', ['productId', 'purchaseId'])
@Check('CK_purchase_items_quantity', 'quantity > 0')
@Check('CK_purchase_items_price', 'unit_price_fen >= 0')
export class PurchaseItemEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_purchase_items' })
  id!: string;

  @Index('IDX_purchase_items_purchase')
  @Column({ type: 'uuid' })
  purchaseId!: string;

  @ManyToOne(() => PurchaseEntity, (p) => p.items, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'purchase_id', foreignKeyConstraintName: 'FK_purchase_items_purchase' })
  purchase?: PurchaseEntity;

  @Index('IDX_purchase_items_product')
  @Column({ type: 'uuid' })
  productId!: string;

  @ManyToOne(() => ProductEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id', foreignKeyConstraintName: 'FK_purchase_items_product' })
  product?: ProductEntity;

  @Column({ type: 'int' })
  quantity!: number;

  @Column({ type: 'int' })
  unitPriceFen!: number;

  @Column({ type: 'bigint', transformer: numberTransformer })
  lineTotalFen!: number;
}
