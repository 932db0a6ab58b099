import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { CustomerEntity } from '@app/customers';
import { UserEntity } from '@app/users';

export const INTERACTION_KINDS = [
  'follow_up',
  'after_sales',
  'greeting_reply',
  'visit',
  'call',
  'wechat',
  'tasting_event',
  'other',
] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

// The contact log: every time a butler was in touch with a client. Satisfaction surveys hang off
// these rows and are attributed to butler_id, the butler who made the contact.
@Entity('interactions')
@Index('IDX_interactions_customer_time', ['customerId', 'occurredAt'])
@Index('IDX_interactions_butler_time', ['butlerId', 'occurredAt'])
export class InteractionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_interactions' })
  id!: string;

  @Column({ type: 'uuid' })
  customerId!: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_interactions_customer' })
  customer?: CustomerEntity;

  @Column({ type: 'uuid' })
  butlerId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'butler_id', foreignKeyConstraintName: 'FK_interactions_butler' })
  butler?: UserEntity;

  @Column({ type: 'enum', enum: INTERACTION_KINDS, enumName: 'interaction_kind' })
  kind!: InteractionKind;

  // phone, wechat, visit, email, sms…
  @Column({ type: 'varchar', length: 20, nullable: true })
  channel!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  outcome!: string | null;

  @Column({ type: 'text', default: '' })
  summary!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  // Who logged it (记一笔: the butler, their manager or an admin); null when the system did (a completed
  // follow-up, a resolved case).
  @Column({ type: 'uuid', nullable: true })
  recordedBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'FK_interactions_recorded_by' })
  recorder?: UserEntity;

  @Column({ type: 'uuid', nullable: true })
  followUpId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
