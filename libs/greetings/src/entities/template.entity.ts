import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

// Greeting templates admins edit: subject and a plain-text body with {{placeholders}}.
@Entity('message_templates')
@Index('IDX_message_templates_occasion', ['occasion'])
// The template automatic campaigns of an occasion use: at most one per occasion.
@Index('UQ_message_templates_default', ['occasion'], { unique: true, where: 'is_default' })
export class TemplateEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_message_templates' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  // A festival key, birthday, or custom.
  @Column({ type: 'varchar', length: 40 })
  occasion!: string;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'boolean', default: false })
  isDefault!: boolean;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
