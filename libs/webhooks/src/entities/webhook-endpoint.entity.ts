import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

// What an endpoint can subscribe to.
export const WEBHOOK_EVENTS = ['survey.answered', 'survey.detractor', 'case.changed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

// An admin-configured receiver of signed events. The secret signs each delivery; it is shown once
// when made and stored sealed (AES-256-GCM with SETTINGS_ENCRYPTION_KEY, libs/settings/secret-box).
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_webhook_endpoints' })
  id!: string;

  @Column({ type: 'varchar', length: 254 })
  url!: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  description!: string;

  @Column({ type: 'text', array: true })
  events!: WebhookEvent[];

  @Column({ type: 'text' })
  secretSealed!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
