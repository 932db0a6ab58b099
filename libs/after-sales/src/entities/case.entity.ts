import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import { CustomerEntity } from '@app/customers';
import { UserEntity } from '@app/users';

export const CASE_TYPES = ['inquiry', 'complaint', 'return', 'exchange', 'quality', 'delivery', 'other'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const CASE_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

// An after-sales case (售后). butler_id is the butler handling it: the client's butler when it was
// opened, and again whenever the client moves while the case is open (or a manager hands it over);
// the interaction logged on resolution, and so its survey, is theirs.
@Entity('cases')
@Index('IDX_cases_customer_opened', ['customerId', 'openedAt'])
@Index('IDX_cases_butler_opened', ['butlerId', 'openedAt'])
@Index('IDX_cases_status_opened', ['status', 'openedAt'])
export class CaseEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_cases' })
  id!: string;

  @Column({ type: 'uuid' })
  customerId!: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_cases_customer' })
  customer?: CustomerEntity;

  @Column({ type: 'uuid', nullable: true })
  purchaseId!: string | null;

  @Column({ type: 'uuid' })
  butlerId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'butler_id', foreignKeyConstraintName: 'FK_cases_butler' })
  butler?: UserEntity;

  @Column({ type: 'enum', enum: CASE_TYPES, enumName: 'case_type' })
  type!: CaseType;

  @Column({ type: 'enum', enum: CASE_PRIORITIES, enumName: 'case_priority', default: 'normal' })
  priority!: CasePriority;

  // How the client reached us: phone, wechat, store, email…
  @Column({ type: 'varchar', length: 20 })
  channel!: string;

  @Column({ type: 'varchar', length: 500 })
  summary!: string;

  @Column({ type: 'enum', enum: CASE_STATUSES, enumName: 'case_status', default: 'open' })
  status!: CaseStatus;

  @Column({ type: 'uuid', nullable: true })
  openedBy!: string | null;

  @Column({ type: 'timestamptz' })
  openedAt!: Date;

  // The first note or the move to in_progress, whichever came first.
  @Column({ type: 'timestamptz', nullable: true })
  firstResponseAt!: Date | null;

  // The latest resolution (cleared when the case is reopened).
  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  // When the SLA worker first found a clock (first response, resolution) past its due time, and the
  // highest escalation step reached (1 the butler, 2 their manager, 3 an admin; docs/sla.md).
  @Column({ type: 'timestamptz', nullable: true })
  slaBreachedAt!: Date | null;

  @Column({ type: 'smallint', default: 0 })
  slaLevel!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
