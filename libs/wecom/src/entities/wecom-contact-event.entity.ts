import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// How an event's contact was matched to a client: already bound, by the 联系我 state, the butler's
// remark (a client's name) or remark mobile; null when no client matched (the butler links it).
export const MATCHED_BY = ['bound', 'state', 'mobile', 'remark'] as const;
export type MatchedBy = (typeof MATCHED_BY)[number];

// Each external-contact change WeCom reported through the callback (change_external_contact),
// with the client it concerns when one matched. The client's timeline shows them.
@Entity('wecom_contact_events')
@Index('IDX_wecom_contact_events_customer', ['customerId', 'occurredAt'], { where: 'customer_id IS NOT NULL' })
@Index('IDX_wecom_contact_events_unmatched', ['wecomUserId', 'externalUserId'], { where: 'customer_id IS NULL' })
export class WecomContactEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_wecom_contact_events' })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  changeType!: string;

  // The butler's WeCom userid (UserID) and the client's external userid (ExternalUserID).
  @Column({ type: 'varchar', length: 64 })
  wecomUserId!: string;

  @Column({ type: 'varchar', length: 64 })
  externalUserId!: string;

  @Column({ type: 'uuid', nullable: true })
  customerId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  butlerId!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  matchedBy!: MatchedBy | null;

  // The event's other fields (State, Source, FailReason…).
  @Column({ type: 'jsonb', default: {} })
  detail!: Record<string, string>;

  // WeCom's CreateTime.
  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
