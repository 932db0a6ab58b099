import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import type { Tier } from '@app/customers';
import { UserEntity } from '@app/users';

export const PROGRAM_STATUSES = ['draft', 'active', 'paused'] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];
// window: every year between two dates (MM-DD, Asia/Shanghai, e.g. 11-01 to 11-30);
// anniversary: each client on the anniversary of their first purchase.
export const SCHEDULE_KINDS = ['window', 'anniversary'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

// The share of each tier's clients a cycle asks (0–1); a tier not listed is not asked. "All" is
// every tier at 1.
export type ProgramSample = Partial<Record<Tier, number>>;

// A relationship survey program: who is asked about the brand, when, how they are reminded. Its
// invitations and answers are survey_invitations / survey_responses rows of kind 'relationship'.
@Entity('survey_programs')
@Index('IDX_survey_programs_active', ['id'], { where: `status = 'active'` })
export class SurveyProgramEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_survey_programs' })
  id!: string;

  @Column({ type: 'varchar', length: 20, default: 'relationship' })
  kind!: 'relationship';

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status!: ProgramStatus;

  // The team it asks (a manager's program); null: every client (an admin's).
  @Column({ type: 'uuid', nullable: true })
  managerId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'manager_id', foreignKeyConstraintName: 'FK_survey_programs_manager' })
  manager?: UserEntity;

  @Column({ type: 'varchar', length: 20 })
  scheduleKind!: ScheduleKind;

  @Column({ type: 'char', length: 5, nullable: true })
  windowStart!: string | null;

  @Column({ type: 'char', length: 5, nullable: true })
  windowEnd!: string | null;

  @Column({ type: 'jsonb' })
  sample!: ProgramSample;

  // One reminder to those who have not answered, this many days after their invitation went out.
  @Column({ type: 'int' })
  reminderAfterDays!: number;

  // How long a link stays open.
  @Column({ type: 'int' })
  expiryDays!: number;

  // The other brands a client may compare us with (the page lists them, plus free text).
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  brands!: string[];

  @Column({ type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'FK_survey_programs_created_by' })
  creator?: UserEntity;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  pausedAt!: Date | null;

  // The Asia/Shanghai day it last invited clients (a cycle's invitations are made once a day).
  @Column({ type: 'date', nullable: true })
  lastRunDay!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
