import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const WECOM_TASK_STATUSES = ['unconfirmed', 'sent', 'cancelled'] as const;
export type WecomTaskStatus = (typeof WECOM_TASK_STATUSES)[number];

// One WeCom 群发 task (externalcontact/add_msg_template): one butler's messages to several clients,
// waiting for the butler to confirm them in the WeCom app (unconfirmed), then sent. Its messages
// carry its msgid as provider_message_id.
@Entity('wecom_group_tasks')
@Index('IDX_wecom_group_tasks_open', ['butlerId', 'createdAt'], { where: `status = 'unconfirmed'` })
export class WecomGroupTaskEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_wecom_group_tasks' })
  id!: string;

  @Index('UQ_wecom_group_tasks_msgid', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  msgid!: string;

  @Column({ type: 'uuid' })
  butlerId!: string;

  // The butler's WeCom userid the task was created for (add_msg_template's sender).
  @Column({ type: 'varchar', length: 64 })
  sender!: string;

  @Column({ type: 'varchar', length: 40 })
  purpose!: string;

  @Column({ type: 'uuid', nullable: true })
  campaignId!: string | null;

  // What the butler's to-do calls it: 中秋问候, 生日问候, 满意度调查邀请.
  @Column({ type: 'varchar', length: 100 })
  label!: string;

  @Column({ type: 'int' })
  clientCount!: number;

  @Column({ type: 'varchar', length: 20, default: 'unconfirmed' })
  status!: WecomTaskStatus;

  @Column({ type: 'int', default: 0 })
  deliveredCount!: number;

  @Column({ type: 'int', default: 0 })
  undeliveredCount!: number;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  polledAt!: Date | null;

  // remind_groupmsg_send calls made (WeCom allows 3 a day per task).
  @Column({ type: 'int', default: 0 })
  reminders!: number;

  @Column({ type: 'timestamptz', nullable: true })
  remindedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
