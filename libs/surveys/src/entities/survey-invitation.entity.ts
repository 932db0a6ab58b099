import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { CustomerEntity, Tier, TIERS } from '@app/customers';
import { InteractionEntity } from '@app/interactions';
import { UserEntity } from '@app/users';

import type { IntegrityReason } from '../integrity';

// What was surveyed: a completed follow-up, a resolved case, a contact the butler logged (记一笔), a
// recovery call after a low score (the one-question re-survey a manager ticks; docs/sla.md).
export const INVITATION_SOURCES = ['follow_up', 'case', 'contact', 'recovery'] as const;
export type InvitationSource = (typeof INVITATION_SOURCES)[number];
// scheduled (waiting for send_at) → queued (its email is in the outbox) → sent → responded;
// skipped when, at send time, consent or the email address is gone.
export const INVITATION_STATUSES = ['scheduled', 'queued', 'sent', 'responded', 'skipped'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];
// transactional: about one contact, attributed to its butler (the scorecards); relationship: the
// yearly survey about the brand of a program (docs/relationship-surveys.md), never in a scorecard.
export const SURVEY_KINDS = ['transactional', 'relationship'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

// One per surveyed contact. The butler is frozen here at contact time: reassigning the client
// later never moves the rating. The token exists only in the email; its SHA-256 is stored when
// the email is sent.
@Entity('survey_invitations')
@Index('UQ_survey_invitations_interaction', ['interactionId'], { unique: true })
@Index('UQ_survey_invitations_token_hash', ['tokenHash'], { unique: true, where: 'token_hash IS NOT NULL' })
@Index('IDX_survey_invitations_customer', ['customerId', 'createdAt'])
@Index('IDX_survey_invitations_due', ['sendAt'], { where: `status = 'scheduled'` })
// (butler_id, Asia/Shanghai day of sent_at) INCLUDE (sent_at, channel) WHERE sent_at IS NOT NULL: the
// recompute counts invitations per butler-day in this order, from the index alone. An expression
// index TypeORM cannot declare: created by migrations/1795486000000-ReportsByChannel.ts, transactional rows
// only since 1795560000000-SurveyPrograms.ts.
@Index('IDX_survey_invitations_butler_sent_day', { synchronize: false })
export class SurveyInvitationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_survey_invitations' })
  id!: string;

  @Column({ type: 'uuid' })
  customerId!: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_survey_invitations_customer' })
  customer?: CustomerEntity;

  @Column({ type: 'uuid' })
  butlerId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'butler_id', foreignKeyConstraintName: 'FK_survey_invitations_butler' })
  butler?: UserEntity;

  // The contact surveyed; none for a relationship invitation (it hangs off its program).
  @Column({ type: 'uuid', nullable: true })
  interactionId!: string | null;

  @ManyToOne(() => InteractionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'interaction_id', foreignKeyConstraintName: 'FK_survey_invitations_interaction' })
  interaction?: InteractionEntity;

  @Column({ type: 'enum', enum: INVITATION_SOURCES, enumName: 'survey_invitation_source', nullable: true })
  source!: InvitationSource | null;

  @Column({ type: 'varchar', length: 20, default: 'transactional' })
  kind!: SurveyKind;

  // A relationship invitation's program, its cycle (the year it belongs to) and the client's tier
  // when it was made (the report groups by it).
  @Column({ type: 'uuid', nullable: true })
  programId!: string | null;

  @Column({ type: 'smallint', nullable: true })
  cycle!: number | null;

  @Column({ type: 'enum', enum: TIERS, enumName: 'customer_tier', nullable: true })
  tier!: Tier | null;

  // Its one reminder to a client who has not answered: the message, when, and the hash of the
  // reminder's own link (the first link keeps working).
  @Column({ type: 'uuid', nullable: true })
  reminderMessageId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  remindedAt!: Date | null;

  @Column({ type: 'bytea', nullable: true })
  reminderTokenHash!: Buffer | null;

  @Column({ type: 'enum', enum: INVITATION_STATUSES, enumName: 'survey_invitation_status', default: 'scheduled' })
  status!: InvitationStatus;

  // When it is due to go out (contact time + the configured delay).
  @Column({ type: 'timestamptz' })
  sendAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  messageId!: string | null;

  @Column({ type: 'bytea', nullable: true })
  tokenHash!: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  respondedAt!: Date | null;

  // The channel its message went by (email, sms, wecom): the reports count invitations and
  // answers per channel. Set when the message is sent; every invitation before issue 16 was an email.
  @Column({ type: 'varchar', length: 20, default: 'email' })
  channel!: string;

  // Rating integrity's reasons found when it was sent (integrity.ts): copied to its answer.
  @Column({ type: 'jsonb', default: () => `'[]'` })
  integrityReasons!: IntegrityReason[];

  // Why it was not sent after all (consent withdrawn, email removed, client deleted).
  @Column({ type: 'varchar', length: 40, nullable: true })
  skipReason!: string | null;

  // The contact time (the cooldown counts from it).
  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
