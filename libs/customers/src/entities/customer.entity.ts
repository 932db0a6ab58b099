import {
  BeforeInsert,
  BeforeUpdate,
  Check,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import { numberTransformer } from '@app/common';
import type { Channel } from '@app/mail';
import { UserEntity } from '@app/users';

import { nameSearchKeys } from '../name-keys';

export const TIERS = ['regular', 'silver', 'gold', 'black'] as const;
export type Tier = (typeof TIERS)[number];
export const GENDERS = ['male', 'female', 'other'] as const;
export type Gender = (typeof GENDERS)[number];
export const CALENDARS = ['solar', 'lunar'] as const;
export type Calendar = (typeof CALENDARS)[number];

@Entity('customers')
@Check(
  'CK_customers_birthday',
  `(birthday_calendar IS NULL) = (birthday_month IS NULL) AND (birthday_month IS NULL) = (birthday_day IS NULL)`,
)
@Check('CHK_customers_preferred_channel', `preferred_channel IN ('email', 'sms', 'wecom')`)
@Check('CK_customers_birthday_leap', `NOT birthday_leap_month OR birthday_calendar = 'lunar'`)
// A mobile is unique among clients that are not deleted.
@Index('UQ_customers_mobile', ['mobile'], { unique: true, where: 'deleted_at IS NULL AND mobile IS NOT NULL' })
@Index('IDX_customers_butler_name', ['butlerId', 'name'], { where: 'deleted_at IS NULL' })
@Index('IDX_customers_last_purchase', ['lastPurchaseAt'], { where: 'deleted_at IS NULL' })
// RFM percent ranks count the clients below one value, each with a range scan of one index.
@Index('IDX_customers_rfm_frequency', ['purchaseCount'], { where: 'deleted_at IS NULL AND purchase_count > 0' })
@Index('IDX_customers_rfm_monetary', ['totalSpentFen'], { where: 'deleted_at IS NULL AND purchase_count > 0' })
export class CustomerEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_customers' })
  id!: string;

  // Sorted by pinyin through ICU's Chinese collation.
  @Column({ type: 'varchar', length: 100, collation: 'zh-x-icu' })
  name!: string;

  // The name's pinyin and initials (search.ts), written with the name: by fillSearchKeys on every
  // save, by the import's and the seeds' own SQL. text: derived, no length rule of their own.
  // Matched from the start through (key text_pattern_ops, butler_id) indexes written by hand
  // (migrations/1795430000000-CustomerPinyin.ts).
  @Index('IDX_customers_name_pinyin', { synchronize: false })
  @Column({ type: 'text', default: '' })
  namePinyin!: string;

  @Index('IDX_customers_name_initials', { synchronize: false })
  @Column({ type: 'text', default: '' })
  nameInitials!: string;

  // Searched from the start and, reversed, from the end (its last digits): two indexes written by hand.
  @Index('IDX_customers_mobile_prefix', { synchronize: false })
  @Index('IDX_customers_mobile_reversed', { synchronize: false })
  @Column({ type: 'varchar', length: 11, nullable: true })
  mobile!: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'enum', enum: GENDERS, enumName: 'gender', nullable: true })
  gender!: Gender | null;

  // Birthday as month/day in its own calendar (so "whose birthday is today" is one query), with
  // the year when known. A lunar birthday may fall in a leap month.
  @Column({ type: 'enum', enum: CALENDARS, enumName: 'birthday_calendar', nullable: true })
  birthdayCalendar!: Calendar | null;

  @Column({ type: 'smallint', nullable: true })
  birthdayYear!: number | null;

  @Column({ type: 'smallint', nullable: true })
  birthdayMonth!: number | null;

  @Column({ type: 'smallint', nullable: true })
  birthdayDay!: number | null;

  @Column({ type: 'boolean', default: false })
  birthdayLeapMonth!: boolean;

  @Column({ type: 'varchar', length: 50, nullable: true })
  city!: string | null;

  // 微信号, as the butler notes it.
  @Column({ type: 'varchar', length: 40, nullable: true })
  wechatId!: string | null;

  // The client as WeCom's external contact (external_userid) of their butler: from the contact
  // sync, WeCom's callbacks, or set by the butler. At most one client (on the books) per id.
  @Index('UQ_customers_external_user_id', {
    unique: true,
    where: 'deleted_at IS NULL AND external_user_id IS NOT NULL',
  })
  @Column({ type: 'varchar', length: 64, nullable: true })
  externalUserId!: string | null;

  @Column({ type: 'enum', enum: TIERS, enumName: 'customer_tier', default: 'regular' })
  tier!: Tier;

  @Index('IDX_customers_tags', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  tags!: string[];

  @Column({ type: 'uuid' })
  butlerId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'butler_id', foreignKeyConstraintName: 'FK_customers_butler' })
  butler?: UserEntity;

  @Column({ type: 'boolean', default: false })
  consentGreetings!: boolean;

  @Column({ type: 'boolean', default: false })
  consentSurveys!: boolean;

  // Consent per purpose and channel (docs/channels.md); consentGreetings / consentSurveys above are
  // "on any channel", kept equal to these by a trigger (migration ConsentByChannel). When and how
  // each channel's answer was given: customer_consents.
  @Column({ type: 'boolean', default: false })
  consentGreetingsEmail!: boolean;

  @Column({ type: 'boolean', default: false })
  consentGreetingsSms!: boolean;

  @Column({ type: 'boolean', default: false })
  consentGreetingsWecom!: boolean;

  @Column({ type: 'boolean', default: false })
  consentSurveysEmail!: boolean;

  @Column({ type: 'boolean', default: false })
  consentSurveysSms!: boolean;

  @Column({ type: 'boolean', default: false })
  consentSurveysWecom!: boolean;

  // The channel the client asked to be reached on; null: the settings' order decides.
  @Column({ type: 'varchar', length: 10, nullable: true })
  preferredChannel!: Channel | null;

  @Column({ type: 'timestamptz', nullable: true })
  consentUpdatedAt!: Date | null;

  // How consent was given: store, wechat, phone, form, import, unsubscribe…
  @Column({ type: 'varchar', length: 40, nullable: true })
  consentSource!: string | null;

  @Column({ type: 'text', default: '' })
  notes!: string;

  // Purchase statistics kept in step with purchases (same transaction), so lists, churn risk and
  // RFM read one row instead of aggregating purchases.
  @Column({ type: 'timestamptz', nullable: true })
  lastPurchaseAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  firstPurchaseAt!: Date | null;

  // The last time the client was touched: reached by a contact, bought, or answered a survey (kept in
  // step in the same transaction as each; 久未联系 reads it).
  @Column({ type: 'timestamptz', nullable: true })
  lastTouchAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  purchaseCount!: number;

  @Column({ type: 'bigint', default: 0, transformer: numberTransformer })
  totalSpentFen!: number;

  // The latest detractor survey answer (CSAT 1–2 or NPS 0–6): a churn-risk reason for
  // settings.churn.detractorDays, kept on the row so the at-risk filter stays one expression.
  @Column({ type: 'timestamptz', nullable: true })
  lastDetractorAt!: Date | null;

  // The client deleted their butler on WeCom (del_follow_user): at risk until they add one again.
  @Column({ type: 'timestamptz', nullable: true })
  wecomRemovedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt!: Date | null;

  // TypeORM calls this before it computes what an update changes, so a renamed client's keys are saved.
  @BeforeInsert()
  @BeforeUpdate()
  protected fillSearchKeys(): void {
    // A partial entity saved without its name keeps the keys it has.
    if (typeof this.name !== 'string') return;
    const keys = nameSearchKeys(this.name);
    this.namePinyin = keys.pinyin;
    this.nameInitials = keys.initials;
  }
}

// A customers row as PostgreSQL returns it (SELECT c.*), for the paths that skip TypeORM's
// query builder.
export interface CustomerRow {
  id: string;
  name: string;
  name_pinyin: string;
  name_initials: string;
  mobile: string | null;
  email: string | null;
  gender: Gender | null;
  birthday_calendar: Calendar | null;
  birthday_year: number | null;
  birthday_month: number | null;
  birthday_day: number | null;
  birthday_leap_month: boolean;
  city: string | null;
  wechat_id: string | null;
  external_user_id: string | null;
  tier: Tier;
  tags: string[];
  butler_id: string;
  consent_greetings: boolean;
  consent_surveys: boolean;
  consent_greetings_email: boolean;
  consent_greetings_sms: boolean;
  consent_greetings_wecom: boolean;
  consent_surveys_email: boolean;
  consent_surveys_sms: boolean;
  consent_surveys_wecom: boolean;
  preferred_channel: Channel | null;
  consent_updated_at: Date | null;
  consent_source: string | null;
  notes: string;
  last_purchase_at: Date | null;
  first_purchase_at: Date | null;
  last_touch_at: Date | null;
  last_detractor_at: Date | null;
  wecom_removed_at: Date | null;
  purchase_count: number;
  total_spent_fen: string | number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export function customerFromRow(row: CustomerRow): CustomerEntity {
  // Assigned one by one: a list page maps 50 rows, and an intermediate object each doubles the garbage.
  const c = new CustomerEntity();
  c.id = row.id;
  c.name = row.name;
  c.namePinyin = row.name_pinyin;
  c.nameInitials = row.name_initials;
  c.mobile = row.mobile;
  c.email = row.email;
  c.gender = row.gender;
  c.birthdayCalendar = row.birthday_calendar;
  c.birthdayYear = row.birthday_year;
  c.birthdayMonth = row.birthday_month;
  c.birthdayDay = row.birthday_day;
  c.birthdayLeapMonth = row.birthday_leap_month;
  c.city = row.city;
  c.wechatId = row.wechat_id;
  c.externalUserId = row.external_user_id;
  c.tier = row.tier;
  c.tags = row.tags;
  c.butlerId = row.butler_id;
  c.consentGreetings = row.consent_greetings;
  c.consentSurveys = row.consent_surveys;
  c.consentGreetingsEmail = row.consent_greetings_email;
  c.consentGreetingsSms = row.consent_greetings_sms;
  c.consentGreetingsWecom = row.consent_greetings_wecom;
  c.consentSurveysEmail = row.consent_surveys_email;
  c.consentSurveysSms = row.consent_surveys_sms;
  c.consentSurveysWecom = row.consent_surveys_wecom;
  c.preferredChannel = row.preferred_channel;
  c.consentUpdatedAt = row.consent_updated_at;
  c.consentSource = row.consent_source;
  c.notes = row.notes;
  c.lastPurchaseAt = row.last_purchase_at;
  c.firstPurchaseAt = row.first_purchase_at;
  c.lastTouchAt = row.last_touch_at;
  c.lastDetractorAt = row.last_detractor_at;
  c.wecomRemovedAt = row.wecom_removed_at;
  c.purchaseCount = row.purchase_count;
  c.totalSpentFen = Number(row.total_spent_fen);
  c.createdAt = row.created_at;
  c.updatedAt = row.updated_at;
  c.deletedAt = row.deleted_at;
  return c;
}
