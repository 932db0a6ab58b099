import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const ROLES = ['admin', 'manager', 'butler'] as const;
export type Role = (typeof ROLES)[number];

// The channels a staff member can receive alerts on (a detractor's answer to their team).
export const ALERT_CHANNELS = ['email', 'sms'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

@Entity('users')
@Check('CK_users_team', `(role = 'butler') = (manager_id IS NOT NULL)`)
@Check('CK_users_mobile', `mobile ~ '^1[3-9][0-9]{9}$'`)
@Check(
  'CK_users_alert_channels',
  `cardinality(alert_channels) BETWEEN 1 AND 2 AND alert_channels <@ ARRAY['email', 'sms']::varchar[]`,
)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_users' })
  id!: string;

  // Stored lower-cased, so uniqueness is case-insensitive.
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  // A mainland mobile (11 digits), unique when present: where SMS alerts go.
  @Index('UQ_users_mobile', { unique: true, where: 'mobile IS NOT NULL' })
  @Column({ type: 'varchar', length: 11, nullable: true })
  mobile!: string | null;

  // Where alerts reach this user (at least one; SMS needs a mobile and an SMS provider).
  @Column({ type: 'varchar', length: 10, array: true, default: () => `'{email}'` })
  alertChannels!: AlertChannel[];

  @Column({ type: 'enum', enum: ROLES, enumName: 'user_role' })
  role!: Role;

  // A butler's team is their manager's.
  @Index('IDX_users_manager_id')
  @Column({ type: 'uuid', nullable: true })
  managerId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'manager_id', foreignKeyConstraintName: 'FK_users_manager' })
  manager?: UserEntity | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  // The user's WeCom userid (企业微信 成员账号), set by an admin: a butler's 群发 tasks are sent as
  // them and their clients' external contacts are theirs. At most one user per userid.
  @Index('UQ_users_wecom_user_id', { unique: true, where: 'wecom_user_id IS NOT NULL' })
  // A manager's team's region (the reports by team); null for the other roles.
  @Column({ type: 'varchar', length: 40, nullable: true })
  region!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  wecomUserId!: string | null;

  @Column({ type: 'text', select: false })
  passwordHash!: string;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  // Tokens issued before this instant are refused: bumped when the password, the role or the
  // active flag changes, and by POST /auth/logout-all. Null: every unexpired token counts.
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  tokensValidAfter!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
