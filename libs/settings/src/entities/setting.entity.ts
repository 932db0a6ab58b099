import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

// Admin settings, one JSON document per section (churn, followUps, surveys, caps, festivals…).
@Entity('settings')
export class SettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 40, primaryKeyConstraintName: 'PK_settings' })
  section!: string;

  @Column({ type: 'jsonb' })
  value!: Record<string, unknown>;

  @Column({ type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
