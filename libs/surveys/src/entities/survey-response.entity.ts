import { Check, Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryGeneratedColumn } from 'typeorm';

import { CustomerEntity } from '@app/customers';
import { UserEntity } from '@app/users';

import type { IntegrityReason } from '../integrity';
import { SurveyInvitationEntity } from './survey-invitation.entity';

export const SERVQUAL_DIMENSIONS = ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'] as const;
export type ServqualDimension = (typeof SERVQUAL_DIMENSIONS)[number];

// One per invitation. butler_id is copied from the invitation (frozen at contact time).
@Entity('survey_responses')
@Index('UQ_survey_responses_invitation', ['invitationId'], { unique: true })
@Index('IDX_survey_responses_butler_time', ['butlerId', 'respondedAt'])
@Index('IDX_survey_responses_customer_time', ['customerId', 'respondedAt'])
@Index('IDX_survey_responses_flagged', ['respondedAt'], { where: 'flagged' })
// (butler_id, Asia/Shanghai day of responded_at) INCLUDE (responded_at, channel, the scores and
// flagged): the recompute sums responses per butler-day in this order, from the index alone. An
// expression index TypeORM cannot declare: created by migrations/1795486000000-ReportsByChannel.ts,
// transactional rows only since 1795560000000-SurveyPrograms.ts, as it stands since
// 1795590000000-RecomputeIndexFlagged.ts (test/surveys.e2e-spec.ts checks the plan).
@Index('IDX_survey_responses_butler_day', { synchronize: false })
@Check('CK_survey_responses_csat', 'csat BETWEEN 1 AND 5')
@Check('CK_survey_responses_nps', 'nps IS NULL OR nps BETWEEN 0 AND 10')
@Check(
  'CK_survey_responses_servqual',
  `(reliability IS NULL OR reliability BETWEEN 1 AND 5) AND (responsiveness IS NULL OR responsiveness BETWEEN 1 AND 5)
   AND (assurance IS NULL OR assurance BETWEEN 1 AND 5) AND (empathy IS NULL OR empathy BETWEEN 1 AND 5)
   AND (tangibles IS NULL OR tangibles BETWEEN 1 AND 5)`,
)
export class SurveyResponseEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_survey_responses' })
  id!: string;

  @Column({ type: 'uuid' })
  invitationId!: string;

  @OneToOne(() => SurveyInvitationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invitation_id', foreignKeyConstraintName: 'FK_survey_responses_invitation' })
  invitation?: SurveyInvitationEntity;

  @Column({ type: 'uuid' })
  customerId!: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_survey_responses_customer' })
  customer?: CustomerEntity;

  @Column({ type: 'uuid' })
  butlerId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'butler_id', foreignKeyConstraintName: 'FK_survey_responses_butler' })
  butler?: UserEntity;

  @Column({ type: 'smallint' })
  csat!: number;

  @Column({ type: 'smallint', nullable: true })
  nps!: number | null;

  @Column({ type: 'smallint', nullable: true })
  reliability!: number | null;

  @Column({ type: 'smallint', nullable: true })
  responsiveness!: number | null;

  @Column({ type: 'smallint', nullable: true })
  assurance!: number | null;

  @Column({ type: 'smallint', nullable: true })
  empathy!: number | null;

  @Column({ type: 'smallint', nullable: true })
  tangibles!: number | null;

  @Column({ type: 'text', default: '' })
  comment!: string;

  @Column({ type: 'timestamptz' })
  respondedAt!: Date;

  // The channel the invitation went by (copied from it), for the reports by channel.
  @Column({ type: 'varchar', length: 20, default: 'email' })
  channel!: string;

  // Rating integrity (integrity.ts): held out of the figures while flagged; the reasons stay after
  // a manager clears it.
  @Column({ type: 'boolean', default: false })
  flagged!: boolean;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  integrityReasons!: IntegrityReason[];

  // Where it was answered from: keyed hashes (RequestOrigin in @app/common), null when the address
  // or browser says nothing of who answered.
  @Column({ type: 'bytea', nullable: true })
  answerIpHash!: Buffer | null;

  @Column({ type: 'bytea', nullable: true })
  answerUaHash!: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true })
  flagClearedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  flagClearedBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'flag_cleared_by', foreignKeyConstraintName: 'FK_survey_responses_flag_cleared_by' })
  flagClearer?: UserEntity;

  @Column({ type: 'text', nullable: true })
  flagClearNote!: string | null;

  // 'transactional' (about one contact: csat, nps and SERVQUAL perceptions of the butler) or
  // 'relationship' (a program's yearly survey: csat is overall satisfaction with the brand, nps the
  // brand's rNPS, the SERVQUAL columns perceptions, comment the unmet needs; the rest in
  // survey_relationship_answers). Only transactional answers reach a scorecard.
  @Column({ type: 'varchar', length: 20, default: 'transactional' })
  kind!: 'transactional' | 'relationship';
}
