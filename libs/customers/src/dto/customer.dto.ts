import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { isValidSolarDate, lunarDateProblem } from '@app/calendar';
import { AROMA_TYPES, AromaType } from '@app/catalog';
import { IsMainlandMobile, IsSingleLine, lowerTrim, PageQueryDto, trimString } from '@app/common';
import { CHANNELS, type Channel } from '@app/mail';

import { Calendar, CALENDARS, CustomerEntity, Gender, GENDERS, Tier, TIERS } from '../entities/customer.entity';

// WeCom's external_userid (wm…/wo…): letters, digits, _ and -, at most 64.
export const EXTERNAL_USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const BIRTHDAY_DATE = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/;

// The date must exist in its calendar: 1970-02-30 is not a solar date, a lunar 31st never is,
// and a leap month must exist in that lunar year.
function IsBirthdayDate(): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isBirthdayDate',
      target: target.constructor,
      propertyName: String(key),
      validator: {
        validate(value: unknown, args) {
          const birthday = args!.object as BirthdayDto;
          const match = typeof value === 'string' ? BIRTHDAY_DATE.exec(value) : null;
          if (!match) return false;
          const year = match[1] ? Number(match[1]) : null;
          if (year !== null && (year < 1900 || year > new Date().getFullYear())) return false;
          const [month, day] = [Number(match[2]), Number(match[3])];
          if (birthday.calendar === 'lunar')
            return lunarDateProblem(year, month, day, birthday.leapMonth ?? false) === null;
          return !birthday.leapMonth && isValidSolarDate(year, month, day);
        },
        defaultMessage(args) {
          const birthday = args!.object as BirthdayDto;
          const match = typeof args!.value === 'string' ? BIRTHDAY_DATE.exec(args!.value) : null;
          if (!match) return 'birthday.date must be YYYY-MM-DD, or MM-DD when the year is unknown';
          if (birthday.calendar === 'lunar') {
            const problem = lunarDateProblem(
              match[1] ? Number(match[1]) : null,
              Number(match[2]),
              Number(match[3]),
              birthday.leapMonth ?? false,
            );
            return `birthday.date is not a valid lunar date${problem ? `: ${problem}` : ''}`;
          }
          if (birthday.leapMonth) return 'birthday.leapMonth is only for lunar birthdays';
          return 'birthday.date is not a valid solar date';
        },
      },
    });
}

export class BirthdayDto {
  @ApiProperty({
    example: '1970-08-15',
    description: 'YYYY-MM-DD, or MM-DD when the year is unknown; in its own calendar',
  })
  @IsBirthdayDate()
  date!: string;

  @ApiProperty({ enum: CALENDARS })
  @IsIn(CALENDARS)
  calendar!: Calendar;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean, description: 'Lunar birthdays only' })
  leapMonth?: boolean;
}

// One purpose's answers by channel; an edit names only the channels it changes.
export class ChannelAnswersDto {
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  email?: boolean;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  sms?: boolean;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  wecom?: boolean;
}

export class ConsentChannelsDto {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ChannelAnswersDto)
  @ApiPropertyOptional({ type: () => ChannelAnswersDto })
  greetings?: ChannelAnswersDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ChannelAnswersDto)
  @ApiPropertyOptional({ type: () => ChannelAnswersDto })
  surveys?: ChannelAnswersDto;
}

// A new client has both answers: per purpose (`greetings`: true is a yes on email, false a no on
// every channel) or per channel (`channels`), which wins where both are given.
export class ConsentDto {
  @ValidateIf((o: ConsentDto) => o.channels === undefined || o.greetings !== undefined)
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean, description: 'true: consent on email; false: on no channel' })
  greetings?: boolean;

  @ValidateIf((o: ConsentDto) => o.channels === undefined || o.surveys !== undefined)
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean, description: 'true: consent on email; false: on no channel' })
  surveys?: boolean;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentChannelsDto)
  @ApiPropertyOptional({ type: () => ConsentChannelsDto })
  channels?: ConsentChannelsDto;

  // How it was given: store, wechat, phone, form, import…
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 40 })
  source?: string;
}

// An edit names only the answers it changes: a form opened before the client unsubscribed must
// not be able to send the old greetings answer back along with a surveys change.
export class ConsentChangeDto extends PartialType(ConsentDto) {}

const normalizeTags = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? [...new Set(value.map((t) => (typeof t === 'string' ? t.trim() : t)))] : value;

class CustomerFieldsDto {
  @IsOptional()
  @IsMainlandMobile()
  @ApiPropertyOptional({ type: String, nullable: true, example: '13800138000', description: 'null clears' })
  mobile?: string | null;

  @IsOptional()
  @Transform(lowerTrim)
  @IsEmail()
  @MaxLength(254)
  @ApiPropertyOptional({ type: String, format: 'email', maxLength: 254, nullable: true })
  email?: string | null;

  @ApiPropertyOptional({ enum: GENDERS, nullable: true })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender | null;

  // An object, not an array (as consent): ValidateNested passes an empty array through.
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BirthdayDto)
  @ApiPropertyOptional({ type: () => BirthdayDto, nullable: true })
  birthday?: BirthdayDto | null;

  @IsOptional()
  @Transform(trimString)
  @IsString()
  @IsSingleLine()
  @MaxLength(50)
  @ApiPropertyOptional({ type: String, maxLength: 50, nullable: true })
  city?: string | null;

  // 微信号: letters, digits, _ and - (a mobile number a client uses as their ID included).
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+$/)
  @MaxLength(40)
  @ApiPropertyOptional({ type: String, pattern: '^[A-Za-z0-9_-]+$', maxLength: 40, nullable: true })
  wechatId?: string | null;

  // 企业微信 external_userid of the client (as their butler's external contact); null unbinds.
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Matches(EXTERNAL_USER_ID_PATTERN)
  @ApiPropertyOptional({ type: String, pattern: EXTERNAL_USER_ID_PATTERN.source, maxLength: 64, nullable: true })
  externalUserId?: string | null;

  @ApiProperty({ enum: TIERS, required: false })
  @IsOptional()
  @IsIn(TIERS)
  tier?: Tier;

  @IsOptional()
  @Transform(normalizeTags)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(30, { each: true })
  @IsSingleLine({ each: true })
  @ApiPropertyOptional({ type: [String], maxItems: 20, description: 'Each 1–30 characters, one line' })
  tags?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @ApiPropertyOptional({ type: String, maxLength: 2000 })
  notes?: string;

  // The channel the client asked to be reached on; null: the settings' order decides.
  @IsOptional()
  @IsIn(CHANNELS)
  @ApiPropertyOptional({ enum: CHANNELS, nullable: true, description: 'null clears' })
  preferredChannel?: Channel | null;
}

export class CreateCustomerDto extends CustomerFieldsDto {
  @Transform(trimString)
  @IsString()
  @IsSingleLine()
  @MinLength(1)
  @MaxLength(100)
  @ApiProperty({ type: String, minLength: 1, maxLength: 100 })
  name!: string;

  // Optional, but not nullable: consent is answers, not something to clear.
  @ValidateIf((_, value) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentDto)
  @ApiPropertyOptional({ type: () => ConsentDto })
  consent?: ConsentDto;

  // A butler's clients are always their own; managers and admins choose the butler.
  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  butlerId?: string;
}

// butlerId is not accepted here: moving a client is POST /customers/:id/assign.
export class UpdateCustomerDto extends CustomerFieldsDto {
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @IsSingleLine()
  @MinLength(1)
  @MaxLength(100)
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 100 })
  name?: string;

  @ValidateIf((_, value) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentChangeDto)
  @ApiPropertyOptional({ type: () => ConsentChangeDto })
  consent?: ConsentChangeDto;
}

export class AssignCustomerDto {
  @IsUUID()
  @ApiProperty({ type: String, format: 'uuid' })
  butlerId!: string;
}

export class BulkAssignCustomersDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 500 })
  customerIds!: string[];

  @IsUUID()
  @ApiProperty({ type: String, format: 'uuid' })
  butlerId!: string;
}

export const CUSTOMER_SORTS = ['name', 'lastPurchase'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export class ListCustomersQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  butlerId?: string;

  @ApiProperty({ enum: TIERS, required: false })
  @IsOptional()
  @IsIn(TIERS)
  tier?: Tier;

  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(30)
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 30 })
  tag?: string;

  // Clients whose taste profile weighs this aroma 0.5 or more.
  @ApiProperty({ enum: AROMA_TYPES, required: false })
  @IsOptional()
  @IsIn(AROMA_TYPES)
  aroma?: AromaType;

  // How a butler looks a client up (search.ts): part of the name, the pinyin or its initials from
  // the start, the mobile's first 3+ or last 4+ digits.
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 50,
    description:
      'Part of the name (蔡德明: 德明), its pinyin or pinyin initials from the start (caideming, caide, cdm, cd; ' +
      'any case, spaces ignored), or digits: the mobile from its start (3+ digits) or its end (4+ digits, e.g. ' +
      '0040); +86, spaces, dashes and brackets are ignored',
  })
  q?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  atRisk?: boolean;

  // Clients not touched (reached, bought, answered a survey) for at least this many days.
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 3650 })
  silentDays?: number;

  // 久未联系: clients past their tier's limit (settings.touch.maxDaysByTier); false: the others.
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  silent?: boolean;

  @ApiProperty({ enum: CUSTOMER_SORTS, required: false })
  @IsOptional()
  @IsIn(CUSTOMER_SORTS)
  sort?: CustomerSort;
}

export class CustomerBirthdayDto {
  @ApiProperty({
    example: '1970-08-15',
    description: 'YYYY-MM-DD, or MM-DD when the year is unknown; in its own calendar',
  })
  date!: string;

  @ApiProperty({ enum: CALENDARS })
  calendar!: Calendar;

  @ApiProperty()
  leapMonth!: boolean;
}

export class ChannelConsentDto {
  @ApiProperty()
  email!: boolean;

  @ApiProperty()
  sms!: boolean;

  @ApiProperty()
  wecom!: boolean;
}

export class CustomerConsentChannelsDto {
  @ApiProperty({ type: () => ChannelConsentDto })
  greetings!: ChannelConsentDto;

  @ApiProperty({ type: () => ChannelConsentDto })
  surveys!: ChannelConsentDto;
}

export class CustomerConsentDto {
  // On any channel.
  @ApiProperty({ description: 'Consent on any channel' })
  greetings!: boolean;

  @ApiProperty({ description: 'Consent on any channel' })
  surveys!: boolean;

  @ApiProperty({ type: () => CustomerConsentChannelsDto })
  channels!: CustomerConsentChannelsDto;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  source!: string | null;
}

export class CustomerDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  mobile!: string | null;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty({ enum: GENDERS, nullable: true })
  gender!: Gender | null;

  @ApiProperty({ type: () => CustomerBirthdayDto, nullable: true })
  birthday!: CustomerBirthdayDto | null;

  @ApiProperty({ type: String, nullable: true })
  city!: string | null;

  @ApiProperty({ type: String, nullable: true })
  wechatId!: string | null;

  // 企业微信 external_userid, or null when the client is not bound to WeCom.
  @ApiProperty({ type: String, nullable: true })
  externalUserId!: string | null;

  @ApiProperty({ enum: TIERS })
  tier!: Tier;

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty({ type: () => CustomerConsentDto })
  consent!: CustomerConsentDto;

  @ApiProperty({ enum: CHANNELS, nullable: true })
  preferredChannel!: Channel | null;

  @ApiProperty()
  notes!: string;

  @ApiProperty()
  purchaseCount!: number;

  @ApiProperty()
  totalSpentFen!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  firstPurchaseAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastPurchaseAt!: string | null;

  // The last reached contact, purchase or answered survey; null when never touched.
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastTouchAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class BulkAssignResultDto {
  // Clients reassigned (those the caller may not see, or already the butler's, are not counted).
  @ApiProperty()
  assigned!: number;
}

// One change to a client in the audit log.
export class CustomerAuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId!: string | null;

  @ApiProperty({ example: 'update' })
  action!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What changed: the fields, with their values before and after where the action has them',
  })
  changes!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export function birthdayString(c: Pick<CustomerEntity, 'birthdayYear' | 'birthdayMonth' | 'birthdayDay'>): string {
  const md = `${String(c.birthdayMonth).padStart(2, '0')}-${String(c.birthdayDay).padStart(2, '0')}`;
  return c.birthdayYear ? `${c.birthdayYear}-${md}` : md;
}

export function mapCustomer(c: CustomerEntity): CustomerDto {
  return {
    id: c.id,
    name: c.name,
    mobile: c.mobile,
    email: c.email,
    gender: c.gender,
    birthday: c.birthdayCalendar
      ? { date: birthdayString(c), calendar: c.birthdayCalendar, leapMonth: c.birthdayLeapMonth }
      : null,
    city: c.city,
    wechatId: c.wechatId,
    externalUserId: c.externalUserId,
    tier: c.tier,
    tags: c.tags,
    butlerId: c.butlerId,
    consent: {
      greetings: c.consentGreetings,
      surveys: c.consentSurveys,
      channels: {
        greetings: { email: c.consentGreetingsEmail, sms: c.consentGreetingsSms, wecom: c.consentGreetingsWecom },
        surveys: { email: c.consentSurveysEmail, sms: c.consentSurveysSms, wecom: c.consentSurveysWecom },
      },
      updatedAt: c.consentUpdatedAt?.toISOString() ?? null,
      source: c.consentSource,
    },
    preferredChannel: c.preferredChannel,
    notes: c.notes,
    purchaseCount: c.purchaseCount,
    totalSpentFen: c.totalSpentFen,
    firstPurchaseAt: c.firstPurchaseAt?.toISOString() ?? null,
    lastPurchaseAt: c.lastPurchaseAt?.toISOString() ?? null,
    lastTouchAt: c.lastTouchAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
