import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { Clock } from '@app/common';

import { CLIENT_WITHDRAWAL_SOURCES } from './consent';
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
  consent_greetings: boolean | null;
  consent_surveys: boolean | null;
  butler_id: string | null;
}

interface SearchColumns {
  name_pinyin: string | null;
  name_initials: string | null;
}

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
  ['consent_greetings', 'boolean'],
  ['consent_surveys', 'boolean'],
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
  'consent_greetings',
  'consent_surveys',
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
    const consentChanged = `(n.consent_greetings, n.consent_surveys)
      IS DISTINCT FROM (c.consent_greetings, c.consent_surveys)`;
    // A client who unsubscribed from greetings (the /u/ page, an SMS "T") stays unsubscribed
    // whatever a file says: only the client, or their butler on their word, turns greetings back
    // on. The source stays theirs while that holds, so the next file cannot undo it either.
    const sources = CLIENT_WITHDRAWAL_SOURCES.map((s) => `'${s}'`).join(', ');
    const unsubscribed = `(c.consent_source IN (${sources}) AND NOT c.consent_greetings)`;
    const changed: { id: string }[] = await em.query(
      `WITH n AS (
         SELECT c.id, ${['name', 'name_pinyin', 'name_initials', 'email', 'gender', 'city', 'tier', 'tags', 'notes']
           .map(keep)
           .join(', ')},
                ${['birthday_calendar', 'birthday_year', 'birthday_month', 'birthday_day'].map(birthday).join(', ')},
                CASE WHEN v.birthday_given THEN COALESCE(v.birthday_leap_month, false)
                     ELSE c.birthday_leap_month END AS birthday_leap_month,
                CASE WHEN ${unsubscribed} THEN false
                     ELSE COALESCE(v.consent_greetings, c.consent_greetings) END AS consent_greetings,
                ${['consent_surveys', 'butler_id'].map(keep).join(', ')}
           FROM customers c JOIN ${BATCH} ON v.id = c.id
       ), changed AS (
       UPDATE customers c
          SET ${WRITABLE.map((col) => `${col} = n.${col}`).join(', ')},
              name_pinyin = n.name_pinyin, name_initials = n.name_initials,
              consent_updated_at = CASE WHEN ${consentChanged} THEN $${NOW_PARAM}::timestamptz
                                        ELSE c.consent_updated_at END,
              consent_source = CASE WHEN ${consentChanged} AND NOT ${unsubscribed} THEN 'import'
                                    ELSE c.consent_source END,
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
    const consentGiven = `(v.consent_greetings IS NOT NULL OR v.consent_surveys IS NOT NULL)`;
    return em.query(
      `INSERT INTO customers (name, name_pinyin, name_initials, mobile, email, gender, city, tier, tags, notes,
                              birthday_calendar, birthday_year, birthday_month, birthday_day, birthday_leap_month,
                              consent_greetings, consent_surveys, consent_updated_at, consent_source, butler_id)
       SELECT v.name, COALESCE(v.name_pinyin, ''), COALESCE(v.name_initials, ''), v.mobile, v.email, v.gender, v.city,
              COALESCE(v.tier, 'regular'), COALESCE(v.tags, '{}'), COALESCE(v.notes, ''),
              v.birthday_calendar, v.birthday_year, v.birthday_month, v.birthday_day,
              COALESCE(v.birthday_leap_month, false),
              COALESCE(v.consent_greetings, false), COALESCE(v.consent_surveys, false),
              CASE WHEN ${consentGiven} THEN $${NOW_PARAM}::timestamptz END,
              CASE WHEN ${consentGiven} THEN 'import' END, v.butler_id
         FROM ${BATCH}
       ON CONFLICT (mobile) WHERE deleted_at IS NULL AND mobile IS NOT NULL DO NOTHING
       RETURNING id, mobile`,
      [...batchParams(rows), this.clock.now()],
    );
  }
}
