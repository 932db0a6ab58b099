import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { FESTIVAL_KEYS } from '@app/calendar';
import { IsDecimalNumber } from '@app/common';
import { CHANNELS, type Channel } from '@app/mail';

// The kinds of contact a butler logs (记一笔); the contact log's own list (libs/contact-log) is this one.
export const CONTACT_KINDS = ['call', 'visit', 'wechat', 'tasting_event', 'other'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export class ChurnSettingsDto {
  // At risk after k times the client's own typical gap between purchases.
  @IsDecimalNumber(2)
  @Min(1)
  @Max(10)
  @ApiProperty({ type: Number, minimum: 1, maximum: 10 })
  k!: number;

  // For a client with one purchase (no gap yet): at risk after this many days.
  @IsInt()
  @Min(7)
  @Max(3650)
  @ApiProperty({ type: 'integer', minimum: 7, maximum: 3650 })
  singlePurchaseDays!: number;

  // A detractor survey answer (NPS 0-6 or CSAT 1-2) within this many days marks the client at risk.
  @IsInt()
  @Min(1)
  @Max(365)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 365 })
  detractorDays!: number;
}

export class CadenceStepDto {
  // Days after the purchase (its Asia/Shanghai date).
  @IsInt()
  @Min(1)
  @Max(365)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 365 })
  days!: number;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiProperty({ type: String, minLength: 1, maxLength: 100 })
  title!: string;
}

export class FollowUpSettingsDto {
  @IsArray()
  @ArrayMaxSize(10)
  // Each an object: ValidateNested passes a nested array ([[]]) through.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CadenceStepDto)
  @ApiProperty({ type: () => CadenceStepDto, isArray: true, maxItems: 10 })
  cadence!: CadenceStepDto[];

  // Follow-ups are due at this hour, Asia/Shanghai.
  @IsInt()
  @Min(0)
  @Max(23)
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 23 })
  dueHour!: number;

  // A purchase recorded late (imported history) does not create steps already overdue by more
  // than this many days.
  @IsInt()
  @Min(0)
  @Max(365)
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 365 })
  skipOverdueAfterDays!: number;
}

export class MessagesPerDaysDto {
  @IsInt()
  @Min(1)
  @Max(100)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 })
  max!: number;

  // 0: no cap.
  @IsInt()
  @Min(0)
  @Max(365)
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 365 })
  days!: number;
}

export class CapSettingsDto {
  // At most one greeting per client in this many days; later ones are skipped as "capped".
  @IsInt()
  @Min(0)
  @Max(365)
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 365 })
  greetingMinDays!: number;

  // One contact cap across channels and purposes: at most `max` messages (greetings and survey
  // invitations, on any channel) sent to a client in `days` days; more are skipped as "capped",
  // when planned and again when sent.
  @IsObject()
  @ValidateNested()
  @Type(() => MessagesPerDaysDto)
  @ApiProperty({ type: () => MessagesPerDaysDto })
  maxMessagesPerDays!: MessagesPerDaysDto;
}

// The channels tried, in order, for a client whose preferred channel does not reach them
// (docs/channels.md). Each at most once.
export class ChannelSettingsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CHANNELS.length)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  @ApiProperty({ enum: CHANNELS, isArray: true, minItems: 1, maxItems: CHANNELS.length, uniqueItems: true })
  order!: Channel[];
}

export class FestivalSettingsDto {
  // Festivals that get an automatic campaign each year, per team.
  @IsArray()
  @ArrayMaxSize(8)
  @IsIn(FESTIVAL_KEYS, { each: true })
  @ApiProperty({ enum: FESTIVAL_KEYS, isArray: true, maxItems: 8 })
  enabled!: string[];

  @IsInt()
  @Min(1)
  @Max(60)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 60 })
  daysAhead!: number;

  // Scheduled at once (true) or left as a draft for the team's manager to confirm (false).
  @IsBoolean()
  @ApiProperty({ type: Boolean })
  autoConfirm!: boolean;

  // Greetings go out at this hour, Asia/Shanghai, on the festival day (and on birthdays).
  @IsInt()
  @Min(0)
  @Max(23)
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 23 })
  sendHour!: number;

  @IsBoolean()
  @ApiProperty({ type: Boolean })
  birthdays!: boolean;

  // The morning digest of today's and overdue follow-ups, on working days.
  @IsBoolean()
  @ApiProperty({ type: Boolean })
  digest!: boolean;
}

export class SurveySettingsDto {
  // Invite a survey after a completed follow-up (recovery follow-ups excluded) / a resolved case.
  @IsBoolean()
  @ApiProperty({ type: Boolean })
  afterFollowUp!: boolean;

  @IsBoolean()
  @ApiProperty({ type: Boolean })
  afterCase!: boolean;

  // A contact a butler logs (记一笔) invites a survey only for these kinds, and only when the client
  // was reached.
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(CONTACT_KINDS, { each: true })
  @ApiProperty({ enum: CONTACT_KINDS, isArray: true, maxItems: 5 })
  afterContactKinds!: ContactKind[];

  // At most one invitation per client in this many days.
  @IsInt()
  @Min(0)
  @Max(365)
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 365 })
  cooldownDays!: number;

  // Sent this long after the contact, so it arrives after it.
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 60)
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 7 * 24 * 60 })
  delayMinutes!: number;

  // A link works this many days after it was sent.
  @IsInt()
  @Min(1)
  @Max(90)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 90 })
  expiryDays!: number;

  // Rating integrity (docs/rating-integrity.md): an answer is flagged when the address its
  // invitation went to was changed by the rated butler within this many days before the contact
  // (or between the contact and the sending).
  @IsInt()
  @Min(0)
  @Max(365)
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 365 })
  addressChangeDays!: number;

  // … when the surveyed follow-up was completed more than this many hours before it was due.
  @IsInt()
  @Min(1)
  @Max(90 * 24)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 90 * 24 })
  earlyCompletionHours!: number;

  // … when it was answered from the network address or browser of one of the rated butler's
  // sign-ins of this many days before (0: never compared).
  @IsInt()
  @Min(0)
  @Max(90)
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 90 })
  sessionLookbackDays!: number;
}

export class TierDaysDto {
  @IsInt()
  @Min(1)
  @Max(3650)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3650 })
  black!: number;

  @IsInt()
  @Min(1)
  @Max(3650)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3650 })
  gold!: number;

  @IsInt()
  @Min(1)
  @Max(3650)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3650 })
  silver!: number;

  @IsInt()
  @Min(1)
  @Max(3650)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3650 })
  regular!: number;
}

export class TouchSettingsDto {
  // A client not touched (reached, bought, answered a survey) for this many days, by tier, is
  // 久未联系 on the butler's 今日.
  @IsObject()
  @ValidateNested()
  @Type(() => TierDaysDto)
  @ApiProperty({ type: () => TierDaysDto })
  maxDaysByTier!: TierDaysDto;
}

// SLA hours for one case priority: the first response (a note or 处理中) and the resolution are due
// this many hours after the case was opened (docs/sla.md).
export class SlaHoursDto {
  @IsInt()
  @Min(1)
  @Max(720)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 720 })
  firstResponseHours!: number;

  @IsInt()
  @Min(1)
  @Max(2160)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 2160 })
  resolutionHours!: number;
}

export const CASE_SLA_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export class CaseSlaDto {
  @IsObject()
  @ValidateNested()
  @Type(() => SlaHoursDto)
  @ApiProperty({ type: () => SlaHoursDto })
  low!: SlaHoursDto;

  @IsObject()
  @ValidateNested()
  @Type(() => SlaHoursDto)
  @ApiProperty({ type: () => SlaHoursDto })
  normal!: SlaHoursDto;

  @IsObject()
  @ValidateNested()
  @Type(() => SlaHoursDto)
  @ApiProperty({ type: () => SlaHoursDto })
  high!: SlaHoursDto;

  @IsObject()
  @ValidateNested()
  @Type(() => SlaHoursDto)
  @ApiProperty({ type: () => SlaHoursDto })
  urgent!: SlaHoursDto;
}

export class SlaSettingsDto {
  // Per case priority.
  @IsObject()
  @ValidateNested()
  @Type(() => CaseSlaDto)
  @ApiProperty({ type: () => CaseSlaDto })
  cases!: CaseSlaDto;

  // A recovery task (a low score's call-back) is due done this many hours after it was created.
  @IsInt()
  @Min(1)
  @Max(720)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 720 })
  recoveryHours!: number;

  // A breach alerts the one handling it (the case's butler, the recovery task's owner) at once; the
  // butler's manager this many hours after the breach, an admin this many hours after it (more).
  @IsInt()
  @Min(1)
  @Max(720)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 720 })
  managerAfterHours!: number;

  @IsInt()
  @Min(1)
  @Max(2160)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 2160 })
  adminAfterHours!: number;
}

// The greeting occasions an SMS template can be for (as campaigns name them).
export const SMS_GREETING_OCCASIONS = [...FESTIVAL_KEYS, 'birthday', 'custom'] as const;

// An approved SMS template: its code at the provider (Aliyun: SMS_123456789) and the approved text
// with its ${var} placeholders, which the console previews and the settings check.
export class SmsTemplateDto {
  @IsString()
  @Matches(/^[A-Za-z0-9_]{1,40}$/)
  @ApiProperty({ type: String, pattern: '^[A-Za-z0-9_]{1,40}$', example: 'SMS_276390001' })
  code!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @ApiProperty({ type: String, minLength: 1, maxLength: 500 })
  text!: string;

  // Tencent Cloud fills variables by position ({1}, {2}, …): the product's variable names in that
  // order. Absent: the order the text first names them.
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @Matches(/^[A-Za-z0-9_]{1,40}$/, { each: true })
  @ApiPropertyOptional({ type: String, isArray: true, example: ['name', 'festival', 'butler'] })
  params?: string[];
}

export class SmsGreetingTemplateDto extends SmsTemplateDto {
  @IsIn(SMS_GREETING_OCCASIONS)
  @ApiProperty({ enum: SMS_GREETING_OCCASIONS })
  occasion!: string;
}

export class SmsTemplatesDto {
  // One per occasion; `custom` stands in for an occasion without its own.
  @IsArray()
  @ArrayMaxSize(SMS_GREETING_OCCASIONS.length)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SmsGreetingTemplateDto)
  @ApiProperty({ type: () => SmsGreetingTemplateDto, isArray: true })
  greetings!: SmsGreetingTemplateDto[];

  @ValidateIf((_, value) => value !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => SmsTemplateDto)
  @ApiProperty({ type: () => SmsTemplateDto, nullable: true })
  surveyInvitation!: SmsTemplateDto | null;

  @ValidateIf((_, value) => value !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => SmsTemplateDto)
  @ApiProperty({ type: () => SmsTemplateDto, nullable: true })
  recoveryAlert!: SmsTemplateDto | null;
}

export class SmsSettingsDto {
  @IsObject()
  @ValidateNested()
  @Type(() => SmsTemplatesDto)
  @ApiProperty({ type: () => SmsTemplatesDto })
  templates!: SmsTemplatesDto;

  // SMS to one number in one Shanghai day, all purposes together; more are skipped (sms_daily_cap).
  @IsInt()
  @Min(1)
  @Max(20)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 20 })
  maxPerNumberPerDay!: number;
}

// WeCom (企业微信, docs/wecom.md) as GET shows it: the ids, and whether each secret is set. The
// secrets themselves are stored encrypted and never answered.
export class WecomSettingsDto {
  // 企业ID (我的企业 → 企业信息).
  @ApiProperty({ type: String, nullable: true, example: 'ww0123456789abcdef' })
  corpId!: string | null;

  // The self-built app's AgentId (应用管理 → 自建应用), for the sidebar's JS-SDK.
  @ApiProperty({ type: 'integer', nullable: true, example: 1000002 })
  agentId!: number | null;

  // Off: WeCom reaches nobody and no call is made.
  @ApiProperty({ type: Boolean })
  enabled!: boolean;

  @ApiProperty({ type: Boolean, description: '客户联系 secret stored' })
  contactSecretSet!: boolean;

  @ApiProperty({ type: Boolean, description: "the self-built app's secret stored" })
  agentSecretSet!: boolean;

  @ApiProperty({ type: Boolean, description: 'callback Token stored' })
  callbackTokenSet!: boolean;

  @ApiProperty({ type: Boolean, description: 'callback EncodingAESKey stored' })
  encodingAesKeySet!: boolean;
}

// The secret fields of the wecom section (write-only; stored encrypted).
export const WECOM_SECRET_FIELDS = ['contactSecret', 'agentSecret', 'callbackToken', 'encodingAesKey'] as const;
export type WecomSecretField = (typeof WECOM_SECRET_FIELDS)[number];

// The wecom section with its secrets in the clear: what the WeCom library reads, never an answer.
export interface WecomConnection {
  corpId: string | null;
  agentId: number | null;
  enabled: boolean;
  contactSecret: string | null;
  agentSecret: string | null;
  callbackToken: string | null;
  encodingAesKey: string | null;
}

// PATCH { wecom }: a secret is written (a string) or cleared (null); absent leaves it as stored.
// The *Set flags GET answers are accepted and ignored, so a form may send back what it read.
export class WecomSettingsPatchDto {
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(/^[A-Za-z0-9]{1,64}$/)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: '^[A-Za-z0-9]{1,64}$' })
  corpId?: string | null;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: 2_147_483_647 })
  agentId?: number | null;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  enabled?: boolean;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: '^[A-Za-z0-9_-]{1,128}$', writeOnly: true })
  contactSecret?: string | null;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: '^[A-Za-z0-9_-]{1,128}$', writeOnly: true })
  agentSecret?: string | null;

  // WeCom's rule: 3-32 letters or digits.
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(/^[A-Za-z0-9]{3,32}$/)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: '^[A-Za-z0-9]{3,32}$', writeOnly: true })
  callbackToken?: string | null;

  // WeCom's rule: 43 letters or digits.
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(/^[A-Za-z0-9]{43}$/)
  @ApiPropertyOptional({ type: String, nullable: true, pattern: '^[A-Za-z0-9]{43}$', writeOnly: true })
  encodingAesKey?: string | null;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean, description: 'ignored (GET answers it)' })
  contactSecretSet?: boolean;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean, description: 'ignored (GET answers it)' })
  agentSecretSet?: boolean;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean, description: 'ignored (GET answers it)' })
  callbackTokenSet?: boolean;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean, description: 'ignored (GET answers it)' })
  encodingAesKeySet?: boolean;
}

export interface Settings {
  churn: ChurnSettingsDto;
  followUps: FollowUpSettingsDto;
  caps: CapSettingsDto;
  channels: ChannelSettingsDto;
  festivals: FestivalSettingsDto;
  surveys: SurveySettingsDto;
  touch: TouchSettingsDto;
  sms: SmsSettingsDto;
  wecom: WecomSettingsDto;
  sla: SlaSettingsDto;
}

// GET/PATCH /settings: every section, with its stored values or the defaults.
export class SettingsDto implements Settings {
  @ApiProperty({ type: () => ChurnSettingsDto })
  churn!: ChurnSettingsDto;

  @ApiProperty({ type: () => FollowUpSettingsDto })
  followUps!: FollowUpSettingsDto;

  @ApiProperty({ type: () => CapSettingsDto })
  caps!: CapSettingsDto;

  @ApiProperty({ type: () => ChannelSettingsDto })
  channels!: ChannelSettingsDto;

  @ApiProperty({ type: () => FestivalSettingsDto })
  festivals!: FestivalSettingsDto;

  @ApiProperty({ type: () => SurveySettingsDto })
  surveys!: SurveySettingsDto;

  @ApiProperty({ type: () => TouchSettingsDto })
  touch!: TouchSettingsDto;

  @ApiProperty({ type: () => SmsSettingsDto })
  sms!: SmsSettingsDto;

  @ApiProperty({ type: () => WecomSettingsDto })
  wecom!: WecomSettingsDto;

  @ApiProperty({ type: () => SlaSettingsDto })
  sla!: SlaSettingsDto;
}

export const DEFAULT_SETTINGS: Settings = {
  churn: { k: 2, singlePurchaseDays: 180, detractorDays: 90 },
  followUps: {
    cadence: [
      { days: 3, title: '到货与开瓶体验' },
      { days: 30, title: '口感回访' },
    ],
    dueHour: 10,
    skipOverdueAfterDays: 7,
  },
  caps: { greetingMinDays: 3, maxMessagesPerDays: { max: 4, days: 30 } },
  // Email first, as before channels; SMS reaches the clients without an email. WeCom is not built yet.
  channels: { order: ['email', 'sms'] },
  festivals: {
    enabled: [
      'new_year',
      'spring_festival',
      'lantern',
      'dragon_boat',
      'qixi',
      'mid_autumn',
      'national_day',
      'double_ninth',
    ],
    daysAhead: 7,
    autoConfirm: false,
    sendHour: 9,
    birthdays: true,
    digest: true,
  },
  surveys: {
    afterFollowUp: true,
    afterCase: true,
    afterContactKinds: ['visit', 'tasting_event'],
    cooldownDays: 14,
    delayMinutes: 120,
    expiryDays: 14,
    addressChangeDays: 14,
    earlyCompletionHours: 72,
    sessionLookbackDays: 14,
  },
  touch: { maxDaysByTier: { black: 30, gold: 60, silver: 90, regular: 180 } },
  // No template until an admin enters the codes Aliyun approved (docs/channels.md).
  sms: { templates: { greetings: [], surveyInvitation: null, recoveryAlert: null }, maxPerNumberPerDay: 3 },
  // Not connected until an admin enters the corp's ids and secrets (docs/wecom.md).
  wecom: {
    corpId: null,
    agentId: null,
    enabled: false,
    contactSecretSet: false,
    agentSecretSet: false,
    callbackTokenSet: false,
    encodingAesKeySet: false,
  },
  sla: {
    cases: {
      urgent: { firstResponseHours: 1, resolutionHours: 24 },
      high: { firstResponseHours: 4, resolutionHours: 48 },
      normal: { firstResponseHours: 8, resolutionHours: 72 },
      low: { firstResponseHours: 24, resolutionHours: 168 },
    },
    recoveryHours: 24,
    managerAfterHours: 4,
    adminAfterHours: 24,
  },
};

// PATCH changes only the fields it names; the rest of a section keeps its stored value. A null is
// validated like any other value (so it is a 400 naming the field), not skipped as absent.
const patchOf = <T>(section: new () => T) =>
  PartialType(section as new () => T & object, { skipNullProperties: false });
export class ChurnSettingsPatchDto extends patchOf(ChurnSettingsDto) {}
export class FollowUpSettingsPatchDto extends patchOf(FollowUpSettingsDto) {}
export class CapSettingsPatchDto extends patchOf(CapSettingsDto) {}
export class ChannelSettingsPatchDto extends patchOf(ChannelSettingsDto) {}
export class FestivalSettingsPatchDto extends patchOf(FestivalSettingsDto) {}
export class SurveySettingsPatchDto extends patchOf(SurveySettingsDto) {}
export class TouchSettingsPatchDto extends patchOf(TouchSettingsDto) {}
export class SmsSettingsPatchDto extends patchOf(SmsSettingsDto) {}
export class SlaSettingsPatchDto extends patchOf(SlaSettingsDto) {}

// Each section an object, not an array (ValidateNested passes an empty array through), and not
// null (IsOptional would let null through to the merge: a 500 the fuzz test found).
export class UpdateSettingsDto {
  @ValidateIf((_, value: unknown) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => ChurnSettingsPatchDto)
  @ApiPropertyOptional({ type: () => ChurnSettingsPatchDto })
  churn?: ChurnSettingsPatchDto;

  @ValidateIf((_, value: unknown) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => FollowUpSettingsPatchDto)
  @ApiPropertyOptional({ type: () => FollowUpSettingsPatchDto })
  followUps?: FollowUpSettingsPatchDto;

  @ValidateIf((_, value: unknown) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => CapSettingsPatchDto)
  @ApiPropertyOptional({ type: () => CapSettingsPatchDto })
  caps?: CapSettingsPatchDto;

  @ValidateIf((_, value: unknown) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => ChannelSettingsPatchDto)
  @ApiPropertyOptional({ type: () => ChannelSettingsPatchDto })
  channels?: ChannelSettingsPatchDto;

  @ValidateIf((_, value: unknown) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => FestivalSettingsPatchDto)
  @ApiPropertyOptional({ type: () => FestivalSettingsPatchDto })
  festivals?: FestivalSettingsPatchDto;

  @ValidateIf((_, value: unknown) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => SurveySettingsPatchDto)
  @ApiPropertyOptional({ type: () => SurveySettingsPatchDto })
  surveys?: SurveySettingsPatchDto;

  @ValidateIf((_, value: unknown) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => TouchSettingsPatchDto)
  @ApiPropertyOptional({ type: () => TouchSettingsPatchDto })
  touch?: TouchSettingsPatchDto;

  @ValidateIf((_, value: unknown) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => SmsSettingsPatchDto)
  @ApiPropertyOptional({ type: () => SmsSettingsPatchDto })
  sms?: SmsSettingsPatchDto;

  @ValidateIf((_, value: unknown) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => WecomSettingsPatchDto)
  @ApiPropertyOptional({ type: () => WecomSettingsPatchDto })
  wecom?: WecomSettingsPatchDto;

  @ValidateIf((_, value: unknown) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => SlaSettingsPatchDto)
  @ApiPropertyOptional({ type: () => SlaSettingsPatchDto })
  sla?: SlaSettingsPatchDto;
}
