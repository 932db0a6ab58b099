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

@Entity('users')
@Check('CK_users_team', `(role = 'butler') = (manager_id IS NOT NULL)`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_users' })
  id!: string;

  // Stored lower-cased, so uniqueness is case-insensitive.
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

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
