import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { Clock } from '@app/common';
import { CHANNELS } from '@app/mail';

import { CLIENT_WITHDRAWAL_SOURCES, consentColumn, CONTACT_PURPOSES } from './consent';
import { nameSearchKeys } from './name-keys';

export interface ExistingClient {
  id: string;
  mobile: string;
  butlerId: string;
  // The manager of the client's butler: the team the client belongs to.
  managerId: string | null;
}

// One row of a batch as the SQL below reads it. Null means "not in the file".
export interface CustomerBatchRow {
  id: string | null;
  mobile: string;
  name: string | null;
  email: string | null;
  gender: string | null;
  city: string | null;
  tier: string | null;
  tags: string[] | null;
  notes: string | null;
  birthday_given: boolean;
  birthday_calendar: string | null;
  birthday_year: number | null;
  birthday_month: number | null;
  birthday_day: number | null;
  birthday_leap_month: boolean | null;
  // Consent per purpose and channel (the any-channel columns follow, by trigger).
  consent_greetings_email: boolean | null;
  consent_greetings_sms: boolean | null;
  consent_greetings_wecom: boolean | null;
  consent_surveys_email: boolean | null;
  consent_surveys_sms: boolean | null;
  consent_surveys_wecom: boolean | null;
  // consent_greetings_email is only the old any-channel column's yes (问候同意 = 是).
  consent_greetings_legacy: boolean;
  preferred_channel: string | null;
  butler_id: string | null;
}

interface SearchColumns {
  name_pinyin: string | null;
  name_initials: string | null;
}

const CONSENT_COLUMNS = CONTACT_PURPOSES.flatMap((p) => CHANNELS.map((ch) => consentColumn(p, ch)));

// A batch travels as one array per column and is read back with unnest(), so a batch is one
// statement whatever its size. Arrays rather than one JSON document: PostgreSQL reads them
// faster, and they are small strings where a batch's JSON is a ~1 MB one that only a full
// garbage collection frees (it made an import's memory climb). tags, an array per row, travels
// as its array literal.
const BATCH_COLUMNS = [
  ['id', 'uuid'],
  ['mobile', 'varchar'],
  ['name', 'varchar'],
  ['email', 'varchar'],
  ['gender', 'gender'],
  ['city', 'varchar'],
  ['tier', 'customer_tier'],
  ['tags', 'text'],
  ['notes', 'text'],
  ['birthday_given', 'boolean'],
  ['birthday_calendar', 'birthday_calendar'],
  ['birthday_year', 'smallint'],
  ['birthday_month', 'smallint'],
  ['birthday_day', 'smallint'],
  ['birthday_leap_month', 'boolean'],
  ...CONSENT_COLUMNS.map((column) => [column, 'boolean'] as const),
  ['consent_greetings_legacy', 'boolean'],
  ['preferred_channel', 'varchar'],
  ['butler_id', 'uuid'],
  // Computed here from the name (search.ts), as every write of a name does.
  ['name_pinyin', 'text'],
  ['name_initials', 'text'],
] as const satisfies readonly (readonly [keyof CustomerBatchRow | keyof SearchColumns, string])[];

const BATCH_ARRAYS = BATCH_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
const BATCH = `(SELECT u.*, u.tags_literal::text[] AS tags FROM unnest(${BATCH_ARRAYS})
  AS u(${BATCH_COLUMNS.map(([name]) => (name === 'tags' ? 'tags_literal' : name)).join(', ')})) AS v`;

// PostgreSQL's array literal for a text[]: every element quoted, so commas and braces are text.
const arrayLiteral = (values: string[]): string =>
  `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

// The parameter after the batch's columns: the app's Clock, for when consent was given or changed.
const NOW_PARAM = BATCH_COLUMNS.length + 1;

function batchParams(rows: CustomerBatchRow[]): unknown[] {
  const keys = rows.map((r) => (r.name === null ? null : nameSearchKeys(r.name)));
  return BATCH_COLUMNS.map(([name]) => {
    if (name === 'tags') return rows.map((r) => r.tags && arrayLiteral(r.tags));
    if (name === 'name_pinyin') return keys.map((k) => k?.pinyin ?? null);
    if (name === 'name_initials') return keys.map((k) => k?.initials ?? null);
    return rows.map((r) => r[name]);
  });
}

// The columns an import may write, compared to decide whether an existing client really changed.
const WRITABLE = [
  'name',
  'email',
  'gender',
  'city',
  'tier',
  'tags',
  'notes',
  'birthday_calendar',
  'birthday_year',
  'birthday_month',
  'birthday_day',
  'birthday_leap_month',
  ...CONSENT_COLUMNS,
  'preferred_channel',
  'butler_id',
];

// The customers library's set-based writes for CSV import (the customer-io library reads the
// file and checks each row; this writes a batch of checked rows): a batch of rows is a handful of
// statements, never a statement per row.
@Injectable()
export class CustomerBatchRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  // Locks the clients the batch will touch, so their team cannot change under the ownership check.
  // Joined from unnest() so each mobile is an index probe even while the table's statistics
  // still describe it before a big import (with = ANY the planner then picked a full scan).
  lockByMobile(em: EntityManager, mobiles: string[]): Promise<ExistingClient[]> {
    return em.query(
      `SELECT c.id, c.mobile, c.butler_id AS "butlerId", u.manager_id AS "managerId"
         FROM unnest($1::varchar[]) AS m(mobile)
         JOIN customers c ON c.mobile = m.mobile AND c.deleted_at IS NULL
         JOIN users u ON u.id = c.butler_id
        ORDER BY c.mobile
          FOR UPDATE OF c`,
      [mobiles],
    );
  }

  // Columns missing from the file keep their value; a client whose values are all the same is
  // not written at all (re-importing an export touches nothing). Returns the ids really changed
  // (through a SELECT: TypeORM answers a bare UPDATE with [rows, count]).
  async updateMany(em: EntityManager, rows: CustomerBatchRow[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const keep = (col: string): string => `COALESCE(v.${col}, c.${col}) AS ${col}`;
    const birthday = (col: string): string => `CASE WHEN v.birthday_given THEN v.${col} ELSE c.${col} END AS ${col}`;
    const consentChanged = `(${CONSENT_COLUMNS.map((col) => `n.${col}`).join(', ')})
      IS DISTINCT FROM (${CONSENT_COLUMNS.map((col) => `c.${col}`).join(', ')})`;
    // What a client withdrew themselves (the /u/ page, an SMS "T") stays withdrawn whatever a file
    // says: only the client, or their butler on their word, turns it back on. Per channel, from the
    // consent record (customer_consents: its last answer on that channel and where it came from).
    // And the old column's yes (问候同意 = 是, "yes on email") opts in no client whose greetings are
    // off on every channel by their own withdrawal.
    const sources = CLIENT_WITHDRAWAL_SOURCES.map((s) => `'${s}'`).join(', ');
    const withdrawnBy = (purpose: string, channel?: string): string =>
      `EXISTS (SELECT 1 FROM customer_consents k WHERE k.customer_id = c.id AND k.purpose = '${purpose}'
                  ${channel ? `AND k.channel = '${channel}'` : ''} AND NOT k.granted AND k.source IN (${sources}))`;
    const consent = CONTACT_PURPOSES.flatMap((p) =>
      CHANNELS.map((ch) => {
        const col = consentColumn(p, ch);
        const legacy =
          col === 'consent_greetings_email'
            ? ` OR (v.consent_greetings_legacy AND NOT c.consent_greetings AND ${withdrawnBy('greetings')})`
            : '';
        const kept = `v.${col} IS NULL OR (${withdrawnBy(p, ch)}${legacy})`;
        return `CASE WHEN ${kept} THEN c.${col} ELSE v.${col} END AS ${col}`;
      }),
    );
    const changed: { id: string }[] = await em.query(
      `WITH n AS (
         SELECT c.id, ${['name', 'name_pinyin', 'name_initials', 'email', 'gender', 'city', 'tier', 'tags', 'notes']
           .map(keep)
           .join(', ')},
                ${['birthday_calendar', 'birthday_year', 'birthday_month', 'birthday_day'].map(birthday).join(', ')},
                CASE WHEN v.birthday_given THEN COALESCE(v.birthday_leap_month, false)
                     ELSE c.birthday_leap_month END AS birthday_leap_month,
                ${consent.join(', ')},
                ${['preferred_channel', 'butler_id'].map(keep).join(', ')}
           FROM customers c JOIN ${BATCH} ON v.id = c.id
       ), changed AS (
       UPDATE customers c
          SET ${WRITABLE.map((col) => `${col} = n.${col}`).join(', ')},
              name_pinyin = n.name_pinyin, name_initials = n.name_initials,
              consent_updated_at = CASE WHEN ${consentChanged} THEN $${NOW_PARAM}::timestamptz
                                        ELSE c.consent_updated_at END,
              consent_source = CASE WHEN ${consentChanged} THEN 'import' ELSE c.consent_source END,
              updated_at = now()
         FROM n
        WHERE c.id = n.id
          AND (${WRITABLE.map((col) => `c.${col}`).join(', ')})
              IS DISTINCT FROM (${WRITABLE.map((col) => `n.${col}`).join(', ')})
      RETURNING c.id
       )
       SELECT id FROM changed`,
      [...batchParams(rows), this.clock.now()],
    );
    return changed.map((r) => r.id);
  }

  // A mobile another transaction created since lockByMobile is skipped (DO NOTHING), not
  // overwritten: that client was never checked against the importer's team.
  async insertMany(em: EntityManager, rows: CustomerBatchRow[]): Promise<{ id: string; mobile: string }[]> {
    if (rows.length === 0) return [];
    const consentGiven = `(${CONSENT_COLUMNS.map((col) => `v.${col} IS NOT NULL`).join(' OR ')})`;
    return em.query(
      `INSERT INTO customers (name, name_pinyin, name_initials, mobile, email, gender, city, tier, tags, notes,
                              birthday_calendar, birthday_year, birthday_month, birthday_day, birthday_leap_month,
                              ${CONSENT_COLUMNS.join(', ')}, preferred_channel,
                              consent_updated_at, consent_source, butler_id)
       SELECT v.name, COALESCE(v.name_pinyin, ''), COALESCE(v.name_initials, ''), v.mobile, v.email, v.gender, v.city,
              COALESCE(v.tier, 'regular'), COALESCE(v.tags, '{}'), COALESCE(v.notes, ''),
              v.birthday_calendar, v.birthday_year, v.birthday_month, v.birthday_day,
              COALESCE(v.birthday_leap_month, false),
              ${CONSENT_COLUMNS.map((col) => `COALESCE(v.${col}, false)`).join(', ')}, v.preferred_channel,
              CASE WHEN ${consentGiven} THEN $${NOW_PARAM}::timestamptz END,
              CASE WHEN ${consentGiven} THEN 'import' END, v.butler_id
         FROM ${BATCH}
       ON CONFLICT (mobile) WHERE deleted_at IS NULL AND mobile IS NOT NULL DO NOTHING
       RETURNING id, mobile`,
      [...batchParams(rows), this.clock.now()],
    );
  }
}
