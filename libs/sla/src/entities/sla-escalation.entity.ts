import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const SLA_SUBJECTS = ['case', 'follow_up'] as const;
export type SlaSubject = (typeof SLA_SUBJECTS)[number];
// Which time limit ran out: a case's first response or resolution, a recovery task's completion.
export const SLA_CLOCKS = ['first_response', 'resolution', 'recovery'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];

// One step of an SLA breach's escalation (1 the one handling it, 2 their manager, 3 an admin),
// recorded once: the unique step is what makes two workers alert once (docs/sla.md).
@Entity('sla_escalations')
@Index('UQ_sla_escalations_step', ['subjectType', 'subjectId', 'clock', 'level'], { unique: true })
@Index('IDX_sla_escalations_time', ['escalatedAt'])
export class SlaEscalationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_sla_escalations' })
  id!: string;

  @Column({ type: 'varchar', length: 10 })
  subjectType!: SlaSubject;

  @Column({ type: 'uuid' })
  subjectId!: string;

  @Column({ type: 'varchar', length: 20 })
  clock!: SlaClock;

  @Column({ type: 'smallint' })
  level!: number;

  // When the clock ran out (the breach), whatever the step.
  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  // Who was alerted; null when the step had nobody new to tell (an owner with no manager).
  @Column({ type: 'uuid', nullable: true })
  recipientId!: string | null;

  // The alert's outbox message(s).
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  messageIds!: string[];

  @Column({ type: 'timestamptz' })
  escalatedAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
