import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { UserEntity } from '@app/users';

export const SIGN_IN_METHODS = ['password', 'wecom'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

// Each sign-in (a session begun): when, how, and where from, as keyed hashes of the network address
// and the browser (RequestOrigin in @app/common). Rating integrity compares a survey answer's origin
// with the rated butler's recent sign-ins (docs/rating-integrity.md).
@Entity('sign_ins')
@Index('IDX_sign_ins_user_at', ['userId', 'at'])
export class SignInEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_sign_ins' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_sign_ins_user' })
  user?: UserEntity;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 20 })
  method!: SignInMethod;

  // Null when the address says nothing of who signed in (loopback, private, the proxy's own).
  @Column({ type: 'bytea', nullable: true })
  ipHash!: Buffer | null;

  // Null when the client is not a browser.
  @Column({ type: 'bytea', nullable: true })
  uaHash!: Buffer | null;
}
