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
import { SurveyResponseEntity } from '@app/surveys';
import { UserEntity } from '@app/users';

export const FOLLOW_UP_KINDS = ['post_purchase', 'manual', 'recovery', 'churn_risk'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];
export const FOLLOW_UP_STATUSES = ['open', 'done', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
// Why a client was unhappy, chosen when a recovery task is completed (the console says them in Chinese:
// 产品质量 / 物流 / 真伪疑虑 / 价格 / 管家服务 / 其他).
export const ROOT_CAUSES = [
  'product_quality',
  'logistics',
  'authenticity',
  'price',
  'butler_service',
  'other',
] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];
// What the recovery call achieved.
export const RECOVERY_OUTCOMES = ['resolved', 'compensated', 'explained', 'unresolved'] as const;
export type RecoveryOutcome = (typeof RECOVERY_OUTCOMES)[number];

@Entity('follow_ups')
// A purchase implies each cadence step once, however often it is posted.
@Index('UQ_follow_ups_purchase_step', ['purchaseId', 'cadenceStep'], { unique: true, where: 'purchase_id IS NOT NULL' })
@Index('IDX_follow_ups_butler_open', ['butlerId', 'dueAt'], { where: `status = 'open'` })
// The reports' on-time share: each butler's follow-ups due in a period, whatever their status.
@Index('IDX_follow_ups_butler_due', ['butlerId', 'dueAt'])
@Index('IDX_follow_ups_customer', ['customerId', 'dueAt'])
// A low survey score opens one recovery task, however often it is processed.
@Index('UQ_follow_ups_survey_response', ['surveyResponseId'], { unique: true, where: 'survey_response_id IS NOT NULL' })
export class FollowUpEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_follow_ups' })
  id!: string;

  @Column({ type: 'uuid' })
  customerId!: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_follow_ups_customer' })
  customer?: CustomerEntity;

  @Column({ type: 'uuid' })
  butlerId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'butler_id', foreignKeyConstraintName: 'FK_follow_ups_butler' })
  butler?: UserEntity;

  @Column({ type: 'enum', enum: FOLLOW_UP_KINDS, enumName: 'follow_up_kind' })
  kind!: FollowUpKind;

  // What to talk about, e.g. 到货与开瓶体验.
  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'enum', enum: FOLLOW_UP_STATUSES, enumName: 'follow_up_status', default: 'open' })
  status!: FollowUpStatus;

  // Null when the system created it (a purchase's cadence).
  @Column({ type: 'uuid', nullable: true })
  assignedBy!: string | null;

  @Column({ type: 'uuid', nullable: true })
  purchaseId!: string | null;

  // Which cadence entry this is, e.g. "d3" (purchase follow-ups only).
  @Column({ type: 'varchar', length: 20, nullable: true })
  cadenceStep!: string | null;

  // The low survey answer a recovery follow-up answers.
  @Column({ type: 'uuid', nullable: true })
  surveyResponseId!: string | null;

  @Column({ type: 'text', default: '' })
  note!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  outcome!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  interactionId!: string | null;

  // Recovery tasks, once completed: the root cause and what the call achieved.
  @Column({ type: 'varchar', length: 20, nullable: true })
  rootCause!: RootCause | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  recoveryOutcome!: RecoveryOutcome | null;

  // Recovery tasks: when the SLA worker found it past its SLA, and the escalation step reached
  // (1 the owner, 2 their manager, 3 an admin; docs/sla.md).
  @Column({ type: 'timestamptz', nullable: true })
  slaBreachedAt!: Date | null;

  @Column({ type: 'smallint', default: 0 })
  slaLevel!: number;

  // Set from the app's Clock on every insert (the timeline shows it); PostgreSQL's now() only as a default.
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  // Read with the follow-up (FollowUpsRepository), never written through it.
  surveyResponse?: SurveyResponseEntity | null;
}
