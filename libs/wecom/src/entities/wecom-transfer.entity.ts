import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

// 在职继承 (on_job: transfer_customer) or 离职继承 (resigned: resigned/transfer_customer).
export const TRANSFER_KINDS = ['on_job', 'resigned'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

// queued: recorded with the reassignment, WeCom not asked yet (the worker asks after the commit);
// waiting: WeCom accepted it, the client is taken over after 24 h unless they refuse;
// succeeded / failed: transfer_result's answer (or WeCom refused it at once); skipped: not
// attempted (a butler not bound, the client not on WeCom, WeCom's 2-in-90-days limit).
export const TRANSFER_STATUSES = ['queued', 'waiting', 'succeeded', 'failed', 'skipped'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export const TRANSFER_REASONS = [
  'not_bound_from',
  'not_bound_to',
  'no_external_user',
  'limit_90_days',
  'customer_refused',
  'customer_limit_exceed',
  'not_contact',
  'in_progress',
  'no_record',
  'wecom_error',
] as const;
export type TransferReason = (typeof TRANSFER_REASONS)[number];

// One hand-over of a client's WeCom relationship from one butler to another, and how it ended.
@Entity('wecom_transfers')
@Index('IDX_wecom_transfers_customer', ['customerId', 'requestedAt'])
@Index('IDX_wecom_transfers_waiting', ['requestedAt'], { where: `status IN ('queued', 'waiting')` })
@Index('IDX_wecom_transfers_status', ['status', 'createdAt', 'id'])
export class WecomTransferEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_wecom_transfers' })
  id!: string;

  @Column({ type: 'uuid' })
  customerId!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: TransferKind;

  @Column({ type: 'uuid' })
  fromButlerId!: string;

  @Column({ type: 'uuid' })
  toButlerId!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  handoverUserId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  takeoverUserId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  externalUserId!: string | null;

  @Column({ type: 'varchar', length: 12 })
  status!: TransferStatus;

  @Column({ type: 'varchar', length: 40, nullable: true })
  reason!: TransferReason | null;

  @Column({ type: 'int', nullable: true })
  errcode!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  errmsg!: string | null;

  @Column({ type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  takeoverAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  checkedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  requestedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
