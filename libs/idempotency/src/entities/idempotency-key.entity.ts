import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

// A POST made with an Idempotency-Key header: claimed before the handler runs, completed with its
// answer after. Keys are per user and kept 24 hours.
@Entity('idempotency_keys')
@Index('IDX_idempotency_keys_created_at', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_idempotency_keys' })
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 100, primaryKeyConstraintName: 'PK_idempotency_keys' })
  key!: string;

  // SHA-256 of the method, the path and the body: the same key with another request is refused.
  @Column({ type: 'char', length: 64 })
  requestHash!: string;

  @Column({ type: 'int', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  response!: unknown;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
