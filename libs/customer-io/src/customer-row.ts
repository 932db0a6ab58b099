import { plainToInstance } from 'class-transformer';
import { isEmail, isUUID, maxLength, validateSync, ValidationError } from 'class-validator';

import { isValidSolarDate, lunarDateProblem } from '@app/calendar';
import {
  MOBILE_PATTERN,
  neutralizeCell,
  normalizeMobile,
  unstorableProblems,
  validationFields,
  ValidationRule,
} from '@app/common';
import {
  birthdayString,
  Calendar,
  CreateCustomerDto,
  customerColumns,
  Gender,
  Tier,
  type ConsentColumn,
} from '@app/customers';
import type { Channel } from '@app/mail';

// How one CSV row becomes a client and back. Pure: no database, no streams, so it is unit-tested.

export const IMPORT_FIELDS = [
  'name',
  'mobile',
  'email',
  'gender',
  'birthday',
  'calendar',
  'leapMonth',
  'city',
  'tier',
  'tags',
  'butlerEmail',
  'butlerId',
  'consentGreetings',
  'consentSurveys',
  'notes',
  // Consent per purpose and channel, and the channel the client prefers (issue 16).
  'consentGreetingsEmail',
  'consentGreetingsSms',
  'consentGreetingsWecom',
  'consentSurveysEmail',
  'consentSurveysSms',
  'consentSurveysWecom',
  'preferredChannel',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

// The first name is the Chinese header the export writes; every name is accepted on import.
const HEADER_NAMES: Record<ImportField, string[]> = {
  name: ['姓名', 'name', '客户姓名'],
  mobile: ['手机', 'mobile', '手机号', '手机号码', 'phone'],
  email: ['邮箱', 'email', '电子邮箱'],
  gender: ['性别', 'gender', 'sex'],
  birthday: ['生日', 'birthday', '出生日期'],
  calendar: ['历法', 'calendar'],
  leapMonth: ['闰月', 'leapMonth', 'leap'],
  city: ['城市', 'city'],
  tier: ['等级', 'tier', '客户等级'],
  tags: ['标签', 'tags', 'tag'],
  butlerEmail: ['管家邮箱', 'butlerEmail'],
  butlerId: ['管家ID', 'butlerId'],
  consentGreetings: ['问候同意', 'consentGreetings'],
  consentSurveys: ['调查同意', 'consentSurveys'],
  notes: ['备注', 'notes', 'note', 'remarks'],
  consentGreetingsEmail: ['问候同意-邮件', 'consentGreetingsEmail'],
  consentGreetingsSms: ['问候同意-短信', 'consentGreetingsSms'],
  consentGreetingsWecom: ['问候同意-企业微信', 'consentGreetingsWecom'],
  consentSurveysEmail: ['调查同意-邮件', 'consentSurveysEmail'],
  consentSurveysSms: ['调查同意-短信', 'consentSurveysSms'],
  consentSurveysWecom: ['调查同意-企业微信', 'consentSurveysWecom'],
  preferredChannel: ['首选渠道', 'preferredChannel'],
};

// The per-channel consent columns and the customers column each one answers.
const CHANNEL_CONSENT_FIELDS = [
  ['consentGreetingsEmail', 'consent_greetings_email'],
  ['consentGreetingsSms', 'consent_greetings_sms'],
  ['consentGreetingsWecom', 'consent_greetings_wecom'],
  ['consentSurveysEmail', 'consent_surveys_email'],
  ['consentSurveysSms', 'consent_surveys_sms'],
  ['consentSurveysWecom', 'consent_surveys_wecom'],
] as const satisfies readonly (readonly [ImportField, ConsentColumn])[];

// The Chinese the export writes first; English and short forms are read too.
const CHANNEL_LABEL: Record<Channel, string> = { email: '邮件', sms: '短信', wecom: '企业微信' };
const CHANNELS_BY_NAME: Record<string, Channel> = {
  邮件: 'email',
  电子邮件: 'email',
  邮箱: 'email',
  短信: 'sms',
  企业微信: 'wecom',
  企微: 'wecom',
  email: 'email',
  sms: 'sms',
  wecom: 'wecom',
};

// Full-width letters, case, spaces, "_" and "-" do not matter in a header ("Butler_Email", "ｅｍａｉｌ").
const headerKey = (name: string): string =>
  name
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_-]/g, '');

const FIELD_BY_HEADER = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((field) => HEADER_NAMES[field].map((name) => [headerKey(name), field] as const)),
);

export interface HeaderMap {
  // The field each cell position holds (null: an empty header cell, ignored).
  fields: (ImportField | null)[];
  problems: string[];
  unknownColumns: string[];
  repeatedColumns: string[];
}

export function readHeader(cells: string[]): HeaderMap {
  const fields: (ImportField | null)[] = [];
  const unknown: string[] = [];
  const repeated = new Set<string>();
  for (const cell of cells) {
    const key = headerKey(cell);
    if (!key) {
      fields.push(null);
      continue;
    }
    const field = FIELD_BY_HEADER.get(key) ?? null;
    if (!field) unknown.push(cell.trim());
    else if (fields.includes(field)) repeated.add(cell.trim());
    fields.push(field);
  }
  const problems: string[] = [];
  if (unknown.length > 0) {
    const accepted = IMPORT_FIELDS.map((f) => `${HEADER_NAMES[f][0]}/${HEADER_NAMES[f][1]}`).join(', ');
    problems.push(`file has unknown columns: ${unknown.join(', ')} (accepted: ${accepted})`);
  }
  if (repeated.size > 0) problems.push(`file repeats columns: ${[...repeated].join(', ')}`);
  if (!fields.includes('mobile')) problems.push('file must have a 手机/mobile column');
  return { fields, problems, unknownColumns: unknown, repeatedColumns: [...repeated] };
}

const GENDERS: Record<string, Gender> = {
  男: 'male',
  女: 'female',
  其他: 'other',
  male: 'male',
  female: 'female',
  other: 'other',
  m: 'male',
  f: 'female',
};
// The names the console shows (白银/黄金/黑金), and the card names older files use.
const TIERS: Record<string, Tier> = {
  普通: 'regular',
  白银: 'silver',
  黄金: 'gold',
  黑金: 'black',
  银卡: 'silver',
  金卡: 'gold',
  黑卡: 'black',
  regular: 'regular',
  silver: 'silver',
  gold: 'gold',
  black: 'black',
};
const CALENDARS: Record<string, Calendar> = {
  公历: 'solar',
  阳历: 'solar',
  新历: 'solar',
  农历: 'lunar',
  阴历: 'lunar',
  solar: 'solar',
  lunar: 'lunar',
};
const BOOLEANS: Record<string, boolean> = {
  是: true,
  否: false,
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
  y: true,
  n: false,
};

// Unknown words pass through unchanged, so the DTO's own rule rejects them with its own message.
const lookup = <T>(table: Record<string, T>, value: string): T | string => table[value.toLowerCase()] ?? value;

const pad2 = (n: string): string => n.padStart(2, '0');

// Excel shows dates as 1990/8/15 and saves them that way; people write 1990年8月15日.
export function normalizeDate(value: string): string {
  const full = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(value);
  if (full) return `${full[1]}-${pad2(full[2])}-${pad2(full[3])}`;
  const monthDay = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(value);
  return monthDay ? `${pad2(monthDay[1])}-${pad2(monthDay[2])}` : value;
}

// The export prefixes formula-like cells with an apostrophe (see neutralizeCell); take it off again.
const cellText = (raw: string | undefined): string | undefined => {
  const value = raw?.trim().replace(/(^|\r\n|\r|\n)'(?=[=+\-@\t\r])/g, '$1');
  return value ? value : undefined;
};

const TAG_SEPARATORS = /[;；|｜,，、]/;

export interface RowFailure {
  // 1-based data row (the header is not counted).
  row: number;
  // The import column at fault (English name), or null when the whole row is.
  field: ImportField | null;
  // The rule the cell broke, as a VALIDATION_FAILED field's code, and what its sentence needs.
  code: ValidationRule;
  params?: Record<string, unknown>;
  message: string;
}

type Columns = ReturnType<typeof customerColumns>;

// A valid row, ready for SQL: a null column means "not in the file", so an update leaves it alone.
export interface ImportRecord {
  row: number;
  mobile: string;
  name: string | null;
  email: string | null;
  gender: Gender | null;
  city: string | null;
  tier: Tier | null;
  tags: string[] | null;
  notes: string | null;
  birthday: Pick<
    Columns,
    'birthdayCalendar' | 'birthdayYear' | 'birthdayMonth' | 'birthdayDay' | 'birthdayLeapMonth'
  > | null;
  consentGreetings: boolean | null;
  consentSurveys: boolean | null;
  // The per-channel columns the row answers (a column not in the file or left empty is absent).
  consentChannels: Partial<Record<ConsentColumn, boolean>>;
  preferredChannel: Channel | null;
  butler: { id: string } | { email: string } | null;
}

// The per-channel consent cells and the preferred channel of a row, or what is wrong with them
// (each named by its column): 是/否 (or yes/no, 1/0…), and 邮件/短信/企业微信 (or email/sms/wecom).
function readChannelCells(
  value: RowValues,
  row: number,
): { consentChannels: ImportRecord['consentChannels']; preferredChannel: Channel | null; failures: RowFailure[] } {
  const consentChannels: ImportRecord['consentChannels'] = {};
  const failures: RowFailure[] = [];
  for (const [field, column] of CHANNEL_CONSENT_FIELDS) {
    const text = value[field];
    if (text === undefined) continue;
    const answer = BOOLEAN_OF.get(text.toLowerCase());
    if (answer === undefined)
      failures.push({
        row,
        field,
        code: 'isBoolean',
        params: {},
        message: `${HEADER_NAMES[field][0]} (${field}) must be 是 or 否`,
      });
    else consentChannels[column] = answer;
  }
  let preferredChannel: Channel | null = null;
  if (value.preferredChannel !== undefined) {
    const channel = CHANNELS_BY_NAME[value.preferredChannel.toLowerCase()];
    if (channel) preferredChannel = channel;
    else
      failures.push({
        row,
        field: 'preferredChannel',
        code: 'isIn',
        params: { values: Object.values(CHANNEL_LABEL) },
        message: `首选渠道 (preferredChannel) must be one of ${Object.values(CHANNEL_LABEL).join(', ')}`,
      });
  }
  return { consentChannels, preferredChannel, failures };
}

export type RowResult = { ok: true; record: ImportRecord } | { ok: false; failures: RowFailure[] };

// Where a DTO property's errors point in the file.
const FIELD_BY_PATH: Record<string, ImportField> = {
  'birthday.date': 'birthday',
  'birthday.calendar': 'calendar',
  'birthday.leapMonth': 'leapMonth',
  'consent.greetings': 'consentGreetings',
  'consent.surveys': 'consentSurveys',
};

const isImportField = (name: string): name is ImportField => (IMPORT_FIELDS as readonly string[]).includes(name);

function collectErrors(errors: ValidationError[], row: number, into: RowFailure[], parent = ''): void {
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      const field = FIELD_BY_PATH[path] ?? (isImportField(path) ? path : null);
      // Nested messages name the full path, as the JSON API's do ("consent.greetings must be…").
      const messages = Object.values(error.constraints).map((m) =>
        parent && !m.startsWith(`${parent}.`) ? `${parent}.${m}` : m,
      );
      const [rule] = validationFields([{ ...error, children: [] }]);
      into.push({ row, field, code: rule.code, params: rule.params ?? {}, message: messages.join('; ') });
    }
    if (error.children?.length) collectErrors(error.children, row, into, path);
  }
}

// The cells of one row by import column, trimmed; empty cells are left out.
type RowValues = Partial<Record<ImportField, string>>;

// Cells PostgreSQL cannot store (a NUL), named by their column rather than failing the row's INSERT.
const unstorable = (value: RowValues): { field: ImportField; code: ValidationRule; message: string }[] =>
  Object.entries(value).flatMap(([field, text]) =>
    unstorableProblems(text, field).map(({ code, message }) => ({ field: field as ImportField, code, message })),
  );

// A CSV row becomes a client. Nearly every row of a real file is valid, and running it through
// class-transformer and class-validator costs ~40 µs and ~50 KB of garbage, most of an import's
// time. So `quickRecord` first applies the DTO's rules with the same underlying checks (the
// mobile pattern, class-validator's isEmail/maxLength/isUUID, the calendar's date rules) in a
// plain function; a row it does not accept goes through the DTO, which names each failure with
// the JSON API's message. customer-row.spec.ts holds the two to the same answers.
export function readRow(fields: (ImportField | null)[], cells: string[], row: number): RowResult {
  const value: RowValues = {};
  let extra = false;
  for (let i = 0; i < cells.length; i++) {
    const text = cellText(cells[i]);
    if (text === undefined) continue;
    const field = fields[i];
    if (field) value[field] = text;
    else if (i >= fields.length) extra = true;
  }
  const record = extra ? null : quickRecord(value, row);
  return record ? { ok: true, record } : readRowWithDto(value, extra, fields.length, row);
}

const GENDER_OF = new Map(Object.entries(GENDERS));
const TIER_OF = new Map(Object.entries(TIERS));
const CALENDAR_OF = new Map(Object.entries(CALENDARS));
const BOOLEAN_OF = new Map(Object.entries(BOOLEANS));
const BIRTHDAY_DATE = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/;

// The record of a row that certainly passes CreateCustomerDto (the import's reading of it), or
// null when it may not: the DTO then decides and explains. Never accepts what the DTO refuses.
export function quickRecord(value: RowValues, row: number): ImportRecord | null {
  if (value.mobile === undefined || unstorable(value).length > 0) return null;
  const mobile = normalizeMobile(value.mobile) as string;
  if (!MOBILE_PATTERN.test(mobile)) return null;
  const name = value.name?.trim();
  if (name !== undefined && (name === '' || !maxLength(name, 100))) return null;
  const email = value.email?.trim().toLowerCase();
  if (email !== undefined && !(isEmail(email) && maxLength(email, 254))) return null;
  const city = value.city?.trim();
  if (city !== undefined && !maxLength(city, 50)) return null;
  if (value.notes !== undefined && !maxLength(value.notes, 2000)) return null;
  if (value.butlerId !== undefined && !isUUID(value.butlerId)) return null;

  const gender = value.gender === undefined ? null : GENDER_OF.get(value.gender.toLowerCase());
  const tier = value.tier === undefined ? null : TIER_OF.get(value.tier.toLowerCase());
  const greetings = value.consentGreetings === undefined ? null : BOOLEAN_OF.get(value.consentGreetings.toLowerCase());
  const surveys = value.consentSurveys === undefined ? null : BOOLEAN_OF.get(value.consentSurveys.toLowerCase());
  if (gender === undefined || tier === undefined || greetings === undefined || surveys === undefined) return null;
  const channels = readChannelCells(value, row);
  if (channels.failures.length > 0) return null;

  let tags: string[] | null = null;
  if (value.tags !== undefined) {
    tags = [
      ...new Set(
        value.tags
          .split(TAG_SEPARATORS)
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    if (tags.length > 20 || !tags.every((t) => maxLength(t, 30))) return null;
  }

  let birthday: ImportRecord['birthday'] = null;
  if (value.birthday !== undefined) {
    const calendar = value.calendar === undefined ? 'solar' : CALENDAR_OF.get(value.calendar.toLowerCase());
    const leap = value.leapMonth === undefined ? false : BOOLEAN_OF.get(value.leapMonth.toLowerCase());
    const date = BIRTHDAY_DATE.exec(normalizeDate(value.birthday));
    if (calendar === undefined || leap === undefined || !date) return null;
    const year = date[1] ? Number(date[1]) : null;
    const [month, day] = [Number(date[2]), Number(date[3])];
    if (year !== null && (year < 1900 || year > new Date().getFullYear())) return null;
    const valid =
      calendar === 'lunar'
        ? lunarDateProblem(year, month, day, leap) === null
        : !leap && isValidSolarDate(year, month, day);
    if (!valid) return null;
    birthday = {
      birthdayCalendar: calendar,
      birthdayYear: year,
      birthdayMonth: month,
      birthdayDay: day,
      birthdayLeapMonth: calendar === 'lunar' && leap,
    };
  }

  return {
    row,
    mobile,
    name: name ?? null,
    email: email ?? null,
    gender,
    city: city ?? null,
    tier,
    tags,
    notes: value.notes ?? null,
    birthday,
    consentGreetings: greetings,
    consentSurveys: surveys,
    consentChannels: channels.consentChannels,
    preferredChannel: channels.preferredChannel,
    butler: value.butlerId
      ? { id: value.butlerId }
      : value.butlerEmail
        ? { email: value.butlerEmail.toLowerCase() }
        : null,
  };
}

// The row as the JSON API reads it: the same CreateCustomerDto and validation, with two import
// rules on top: mobile is required, and name may be left out when the row updates an existing
// client (checked later, once we know whether it exists).
export function readRowWithDto(value: RowValues, extra: boolean, headerCells: number, row: number): RowResult {
  const failures: RowFailure[] = [];
  if (extra)
    failures.push({
      row,
      field: null,
      code: 'extraCells',
      params: { max: headerCells },
      message: `row has more cells than the header (${headerCells})`,
    });
  if (value.mobile === undefined)
    failures.push({ row, field: 'mobile', code: 'required', message: 'mobile is required for import' });
  failures.push(...unstorable(value).map(({ field, code, message }) => ({ row, field, code, message })));
  const channels = readChannelCells(value, row);
  failures.push(...channels.failures);

  const input: Record<string, unknown> = {
    name: value.name,
    mobile: value.mobile,
    email: value.email,
    gender: value.gender === undefined ? undefined : lookup(GENDERS, value.gender),
    city: value.city,
    tier: value.tier === undefined ? undefined : lookup(TIERS, value.tier),
    tags: value.tags
      ?.split(TAG_SEPARATORS)
      .map((t) => t.trim())
      .filter(Boolean),
    notes: value.notes,
    butlerId: value.butlerId,
  };
  // Calendar and leap month only mean something next to a date; without one they are ignored.
  if (value.birthday !== undefined) {
    input.birthday = {
      date: normalizeDate(value.birthday),
      calendar: value.calendar === undefined ? 'solar' : lookup(CALENDARS, value.calendar),
      leapMonth: value.leapMonth === undefined ? false : lookup(BOOLEANS, value.leapMonth),
    };
  }
  const greetings = value.consentGreetings === undefined ? undefined : lookup(BOOLEANS, value.consentGreetings);
  const surveys = value.consentSurveys === undefined ? undefined : lookup(BOOLEANS, value.consentSurveys);
  // The DTO wants both answers; a missing one is "no" for a new client and left alone on an update.
  if (greetings !== undefined || surveys !== undefined)
    input.consent = { greetings: greetings ?? false, surveys: surveys ?? false, source: 'import' };

  const dto = plainToInstance(CreateCustomerDto, input);
  const errors = validateSync(dto).filter((e) => e.property !== 'name' || value.name !== undefined);
  collectErrors(errors, row, failures);
  if (failures.length > 0) return { ok: false, failures };

  const columns = customerColumns(dto);
  return {
    ok: true,
    record: {
      row,
      mobile: columns.mobile as string,
      name: columns.name ?? null,
      email: columns.email ?? null,
      gender: columns.gender ?? null,
      city: columns.city ?? null,
      tier: columns.tier ?? null,
      tags: columns.tags ?? null,
      notes: columns.notes ?? null,
      birthday: dto.birthday
        ? {
            birthdayCalendar: columns.birthdayCalendar,
            birthdayYear: columns.birthdayYear,
            birthdayMonth: columns.birthdayMonth,
            birthdayDay: columns.birthdayDay,
            birthdayLeapMonth: columns.birthdayLeapMonth,
          }
        : null,
      consentGreetings: greetings === undefined ? null : (columns.consentGreetings ?? null),
      consentSurveys: surveys === undefined ? null : (columns.consentSurveys ?? null),
      consentChannels: channels.consentChannels,
      preferredChannel: channels.preferredChannel,
      butler: dto.butlerId
        ? { id: dto.butlerId }
        : value.butlerEmail
          ? { email: value.butlerEmail.toLowerCase() }
          : null,
    },
  };
}

// A row the export writes: the columns of the header below, in order.
export interface ExportSource {
  name: string;
  mobile: string | null;
  email: string | null;
  gender: Gender | null;
  birthdayCalendar: Calendar | null;
  birthdayYear: number | null;
  birthdayMonth: number | null;
  birthdayDay: number | null;
  birthdayLeapMonth: boolean;
  city: string | null;
  tier: Tier;
  tags: string[];
  butlerEmail: string;
  consentGreetings: boolean;
  consentSurveys: boolean;
  notes: string;
  consentGreetingsEmail: boolean;
  consentGreetingsSms: boolean;
  consentGreetingsWecom: boolean;
  consentSurveysEmail: boolean;
  consentSurveysSms: boolean;
  consentSurveysWecom: boolean;
  preferredChannel: Channel | null;
}

// Every import column but butlerId (the butler's email is what people read and type).
export const EXPORT_FIELDS = IMPORT_FIELDS.filter((f) => f !== 'butlerId');
export const EXPORT_HEADER = EXPORT_FIELDS.map((f) => HEADER_NAMES[f][0]);

const GENDER_LABEL: Record<Gender, string> = { male: '男', female: '女', other: '其他' };
const TIER_LABEL: Record<Tier, string> = { regular: '普通', silver: '白银', gold: '黄金', black: '黑金' };
const CALENDAR_LABEL: Record<Calendar, string> = { solar: '公历', lunar: '农历' };
const yesNo = (value: boolean): string => (value ? '是' : '否');

export function exportCells(c: ExportSource): string[] {
  const hasBirthday = c.birthdayCalendar !== null;
  const cells: Record<(typeof EXPORT_FIELDS)[number], string> = {
    name: c.name,
    mobile: c.mobile ?? '',
    email: c.email ?? '',
    gender: c.gender ? GENDER_LABEL[c.gender] : '',
    birthday: hasBirthday ? birthdayString(c) : '',
    calendar: c.birthdayCalendar ? CALENDAR_LABEL[c.birthdayCalendar] : '',
    leapMonth: c.birthdayCalendar === 'lunar' ? yesNo(c.birthdayLeapMonth) : '',
    city: c.city ?? '',
    tier: TIER_LABEL[c.tier],
    tags: c.tags.join(';'),
    butlerEmail: c.butlerEmail,
    consentGreetings: yesNo(c.consentGreetings),
    consentSurveys: yesNo(c.consentSurveys),
    notes: c.notes,
    consentGreetingsEmail: yesNo(c.consentGreetingsEmail),
    consentGreetingsSms: yesNo(c.consentGreetingsSms),
    consentGreetingsWecom: yesNo(c.consentGreetingsWecom),
    consentSurveysEmail: yesNo(c.consentSurveysEmail),
    consentSurveysSms: yesNo(c.consentSurveysSms),
    consentSurveysWecom: yesNo(c.consentSurveysWecom),
    preferredChannel: c.preferredChannel ? CHANNEL_LABEL[c.preferredChannel] : '',
  };
  return EXPORT_FIELDS.map((f) => neutralizeCell(cells[f]));
}
export { neutralizeCell } from '@app/common';
