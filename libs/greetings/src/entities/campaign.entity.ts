import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

// completed_with_failures: every message is done and some failed (retry-failed may send them once more).
export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'sending',
  'completed',
  'completed_with_failures',
  'cancelled',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export interface CampaignAudience {
  scope: 'all' | 'team' | 'butler';
  butlerId?: string;
  managerId?: string;
  tiers?: string[];
  tags?: string[];
  aromas?: string[];
  // Birthday campaigns: the clients whose birthday is celebrated on this day (YYYY-MM-DD).
  birthdayOn?: string;
}

@Entity('greeting_campaigns')
@Index('IDX_greeting_campaigns_due', ['sendAt'], { where: `status = 'scheduled'` })
export class CampaignEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_greeting_campaigns' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  // Festival key, birthday or custom.
  @Column({ type: 'varchar', length: 40 })
  occasion!: string;

  @Column({ type: 'uuid', nullable: true })
  templateId!: string | null;

  // The template as it was when the campaign was scheduled: later edits do not change it.
  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'timestamptz' })
  sendAt!: Date;

  @Column({ type: 'jsonb' })
  audience!: CampaignAudience;

  @Column({ type: 'enum', enum: CAMPAIGN_STATUSES, enumName: 'campaign_status', default: 'scheduled' })
  status!: CampaignStatus;

  // The manager whose team the campaign addresses (null: admin, whole client base).
  @Column({ type: 'uuid', nullable: true })
  managerId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  // Identifies automatic campaigns (e.g. "festival:mid_autumn:2027", "birthday:2026-11-22").
  @Index('UQ_greeting_campaigns_auto_key', { unique: true, where: 'auto_key IS NOT NULL' })
  @Column({ type: 'varchar', length: 80, nullable: true })
  autoKey!: string | null;

  @Column({ type: 'int', nullable: true })
  audienceCount!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  plannedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
