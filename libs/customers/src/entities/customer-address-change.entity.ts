import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { UserEntity } from '@app/users';

import { CustomerEntity } from './customer.entity';

// The addresses a message can reach a client at: email, mobile (SMS) and WeCom external contact.
export const ADDRESS_FIELDS = ['email', 'mobile', 'wecom'] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];

// When a client's address was set or changed, and by whom: the history rating integrity reads
// (a survey whose address changed shortly before the contact, by the rated butler). The addresses
// themselves are not kept here (the audit log has the diff); only that one changed.
@Entity('customer_address_changes')
@Index('IDX_customer_address_changes_customer', ['customerId', 'field', 'changedAt'])
export class CustomerAddressChangeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_customer_address_changes' })
  id!: string;

  @Column({ type: 'uuid' })
  customerId!: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_customer_address_changes_customer' })
  customer?: CustomerEntity;

  @Column({ type: 'varchar', length: 20 })
  field!: AddressField;

  // Null when no user made it (WeCom's contact sync or callbacks).
  @Column({ type: 'uuid', nullable: true })
  changedBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'changed_by', foreignKeyConstraintName: 'FK_customer_address_changes_changed_by' })
  changer?: UserEntity;

  @Column({ type: 'timestamptz' })
  changedAt!: Date;

  // create, update, wecom_sync, wecom_callback …
  @Column({ type: 'varchar', length: 40 })
  source!: string;
}
