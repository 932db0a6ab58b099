import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

import { Scope } from '@app/access';
import { sqlLiteral, SqlParams } from '@app/common';

import {
  CASE_STATUS_LABEL,
  CASE_TYPE_LABEL,
  CONTACT_CHANNEL_LABEL,
  FOLLOW_UP_KIND_LABEL,
  FOLLOW_UP_STATUS_LABEL,
  integrityCell,
  MESSAGE_CHANNEL_LABEL,
  POLARITY_LABEL,
  PRIORITY_LABEL,
  SOURCE_LABEL,
  THEME_LABEL,
  TIER_LABEL,
} from './export-columns';
import { columnName, ExportFormat, ROW_MARK } from './export-writers';

export interface ExportPeriod {
  // Inclusive start and exclusive end, or open.
  from: Date | null;
  to: Date | null;
}

// A statement and its parameters.
export interface ExportQuery {
  sql: string;
  values: unknown[];
}

// How PostgreSQL renders a column of a large export (each row is rendered whole, and streamed by
// COPY as bytes: export-writers.ts, SheetRows):
// - 'text': anything a person typed (names, comments, notes): formula-safe and quoted for CSV,
//   escaped for XML;
// - 'number': as is;
// - 'plain': text this code makes (ids, times, the labels of export-columns.ts, 是/否), which holds
//   no comma, quote, line break, formula start or XML markup, so it is written as is.
type Rendering = 'text' | 'number' | 'plain';
// A NULL value makes no cell in an .xlsx row (every cell says its reference) and nothing in CSV.
type Column = [sql: string, as: Rendering];

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

// A value's label, from the maps in export-columns.ts (the one source of the words); a value the map
// does not know is written as it is.
const label = (labels: Record<string, string>, column: string): string =>
  `CASE ${column}::text ${Object.entries(labels)
    .map(([value, text]) => `WHEN ${literal(value)} THEN ${literal(text)}`)
    .join(' ')} ELSE ${column}::text END`;

// A Shanghai local time as text, computed by PostgreSQL (no Date objects per row on our side).
const local = (column: string): string => `to_char(${column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`;

// The themes of a comment in words, "口感/酒质（负面）；价格/性价比（正面）" (libs/comment-themes' table,
// read here). Only a text that is not empty has themes (the tagger skips empty comments), so the
// look-up is skipped for the others: most answers carry no comment.
const themes = (source: 'survey' | 'case', idColumn: string, textColumn: string): string =>
  `CASE WHEN ${textColumn} <> '' THEN
     (SELECT string_agg(${label(THEME_LABEL, 't.theme')} || '（' || ${label(POLARITY_LABEL, 't.polarity')} || '）', '；'
             ORDER BY t.theme)
        FROM comment_themes t WHERE t.source = '${source}' AND t.source_id = ${idColumn}) END`;

// The characters a spreadsheet reads as the start of a formula (= + - @ tab CR), as a list and as a
// bracket expression of PostgreSQL's regular expressions.
const FORMULA_LIST = `'=', '+', '-', '@', E'\\t', E'\\r'`;
const FORMULA_BRACKET = '[=+@\\t\\r-]';

// neutralizeCell (@app/common) in SQL: an apostrophe before a formula start at the beginning and
// after each line break. JavaScript's replace skips a line break at index 0 when the text starts
// with a formula start (its empty match at 0 moves the search on by one), hence the split.
function neutralizeSql(x: string): string {
  const afterBreaks = (t: string): string => `regexp_replace(${t}, '([\\r\\n])(?=${FORMULA_BRACKET})', '\\1''', 'g')`;
  return `CASE WHEN left(${x}, 1) IN (${FORMULA_LIST}) THEN '''' || left(${x}, 1) || ${afterBreaks(`substr(${x}, 2)`)}
               ELSE ${afterBreaks(x)} END`;
}

// csvCell (export-writers.ts) in SQL, for text: NULL stays NULL (concat writes nothing); the common
// case (no quote, comma, line break or formula start) is the text itself, told without a regular
// expression. test/exports.e2e-spec.ts proves both agree on tricky cells.
export function csvTextSql(x: string): string {
  const special = [`'"'`, `','`, `E'\\n'`, `E'\\r'`].map((c) => `strpos(${x}, ${c}) > 0`).join(' OR ');
  return `CASE WHEN ${special}
                 THEN '"' || replace(${neutralizeSql(x)}, '"', '""') || '"'
               WHEN left(${x}, 1) IN (${FORMULA_LIST}) THEN '''' || ${x}
               ELSE ${x} END`;
}

// The characters XML 1.0 cannot hold (controls but tab, LF, CR; U+FFFE, U+FFFF), which xmlText
// drops too (ROW_MARK among them). PostgreSQL text never holds U+0000.
const XML_INVALID = [...Array(32).keys()]
  .filter((c) => c !== 0 && c !== 9 && c !== 10 && c !== 13)
  .map((c) => String.fromCharCode(c))
  .concat('\ufffe', '\uffff')
  .join('');

// xmlText (export-writers.ts) in SQL: invalid characters dropped, & < > escaped (tested to agree).
export function xmlTextSql(x: string): string {
  const valid = `translate(${x}, ${literal(XML_INVALID)}, '')`;
  return `replace(replace(replace(${valid}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;
}

// A row as one string: the CSV cells joined by commas and ended by CR (COPY's LF completes the
// CRLF), or an .xlsx row in xlsxRow's form (export-writers.ts) with ROW_MARK where the writer puts
// the row number. A NULL makes no cell (concat skips it).
function rendered(format: ExportFormat, columns: Column[]): string {
  if (format === 'csv')
    return `concat(${columns.map(([sql, as]) => (as === 'text' ? csvTextSql(sql) : sql)).join(", ',', ")}, E'\\r')`;
  const cells = columns.map(([sql, as], i) => {
    const at = ` r="${columnName(i)}${ROW_MARK}"`;
    return as === 'number'
      ? `'<c${at}><v>' || ${sql} || '</v></c>'`
      : `'<c${at} t="inlineStr"><is><t>' || ${as === 'text' ? xmlTextSql(sql) : sql} || '</t></is></c>'`;
  });
  return `concat(${literal(`<row r="${ROW_MARK}">`)}, ${cells.join(', ')}, '</row>')`;
}

function period(p: SqlParams, column: string, range: ExportPeriod): string[] {
  const where: string[] = [];
  if (range.from) where.push(`${column} >= ${p.value(range.from)}::timestamptz`);
  if (range.to) where.push(`${column} < ${p.value(range.to)}::timestamptz`);
  return where;
}

// The responses' columns (RESPONSE_HEADER). 可信度标记's words are describeReason's, in TypeScript:
// they are made first for the few flagged or cleared answers and looked up as `flagText`.
const responseColumns = (flagText: string): Column[] => [
  ['r.id', 'plain'],
  [local('r.responded_at'), 'plain'],
  ['c.name', 'text'],
  [label(TIER_LABEL, 'c.tier'), 'plain'],
  ['c.city', 'text'],
  ['u.name', 'text'],
  ['m.name', 'text'],
  [label(SOURCE_LABEL, 'i.source'), 'plain'],
  [label(MESSAGE_CHANNEL_LABEL, 'r.channel'), 'plain'],
  ['r.csat', 'number'],
  ['r.nps', 'number'],
  ['r.reliability', 'number'],
  ['r.responsiveness', 'number'],
  ['r.assurance', 'number'],
  ['r.empathy', 'number'],
  ['r.tangibles', 'number'],
  ["NULLIF(r.comment, '')", 'text'],
  [themes('survey', 'r.id', 'r.comment'), 'plain'],
  [flagText, 'text'],
];

// The answers of the export that are flagged or were cleared, with what integrityCell needs.
export function flaggedQuery(access: Scope, range: ExportPeriod): ExportQuery {
  const p = new SqlParams();
  const where = [p.fragment(access.clients('c')), ...period(p, 'r.responded_at', range)];
  const sql = `SELECT r.id, r.flagged, r.integrity_reasons, r.flag_cleared_at IS NOT NULL
       FROM survey_responses r JOIN customers c ON c.id = r.customer_id
      WHERE (r.flagged OR r.flag_cleared_at IS NOT NULL) AND ${where.join(' AND ')}`;
  return { sql, values: p.values };
}

// The responses export's statement (also what bench/exports.bench.ts reads, as its ceiling), with
// the integrity flag's words made beforehand (ids and texts, in step). They are looked up by
// position, and only for a flagged or cleared answer: a join would be planned as a nested loop
// above the sort (to keep its order), comparing every row with every flag.
export function responsesQuery(
  access: Scope,
  range: ExportPeriod,
  format: ExportFormat,
  flags: { ids: string[]; texts: string[] },
  p = new SqlParams(),
): ExportQuery {
  const where = [p.fragment(access.clients('c')), ...period(p, 'r.responded_at', range)];
  const flagText = `CASE WHEN r.flagged OR r.flag_cleared_at IS NOT NULL
      THEN (${p.value(flags.texts)}::text[])[array_position(${p.value(flags.ids)}::uuid[], r.id)] END`;
  const sql = `SELECT ${rendered(format, responseColumns(flagText))}
       FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
       JOIN customers c ON c.id = r.customer_id JOIN users u ON u.id = r.butler_id
       LEFT JOIN users m ON m.id = u.manager_id
      WHERE ${where.join(' AND ')}
      ORDER BY r.responded_at, r.id`;
  return { sql, values: p.values };
}

// 是 or 否 (the follow-ups' 是否逾期).
const yesNo = (condition: string): string => `CASE WHEN ${condition} THEN '是' ELSE '否' END`;

// The reads behind the exports (docs/exports-webhooks.md). Each is a server-side cursor on a
// connection of its own, read FETCH by FETCH as the download goes: memory holds one batch, however
// many rows. What the caller may see is the access policy's condition, as everywhere else.
@Injectable()
export class ExportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Survey responses: the butler frozen on the answer, the client's tier and city, the channel the
  // invitation went by, the comment's themes; then the integrity flag's facts.
  responses(access: Scope, range: ExportPeriod, format: ExportFormat): AsyncGenerator<Buffer> {
    return this.copy(async (client, p) => {
      const flagged = flaggedQuery(access, range);
      const { rows } = await client.query<unknown[]>({ text: flagged.sql, values: flagged.values, rowMode: 'array' });
      const flags = { ids: [] as string[], texts: [] as string[] };
      for (const [id, isFlagged, reasons, cleared] of rows) {
        const text = integrityCell(isFlagged, reasons, cleared);
        if (text === null) continue;
        flags.ids.push(id as string);
        flags.texts.push(text);
      }
      return responsesQuery(access, range, format, flags, p).sql;
    });
  }

  // After-sales cases: their handling butler, times, and the summary's themes (all rendered).
  cases(access: Scope, range: ExportPeriod, format: ExportFormat): AsyncGenerator<Buffer> {
    return this.copy((_, p) => Promise.resolve(this.casesSql(access, range, format, p)));
  }

  private casesSql(access: Scope, range: ExportPeriod, format: ExportFormat, p: SqlParams): string {
    const where = [p.fragment(access.clients('c')), ...period(p, 'k.opened_at', range)];
    const columns: Column[] = [
      ['k.id', 'plain'],
      [local('k.opened_at'), 'plain'],
      ['c.name', 'text'],
      [label(TIER_LABEL, 'c.tier'), 'plain'],
      ['c.city', 'text'],
      ['u.name', 'text'],
      ['m.name', 'text'],
      [label(CASE_TYPE_LABEL, 'k.type'), 'plain'],
      [label(PRIORITY_LABEL, 'k.priority'), 'plain'],
      [label(CONTACT_CHANNEL_LABEL, 'k.channel'), 'plain'],
      [label(CASE_STATUS_LABEL, 'k.status'), 'plain'],
      ['k.summary', 'text'],
      [local('k.first_response_at'), 'plain'],
      [local('k.resolved_at'), 'plain'],
      [local('k.closed_at'), 'plain'],
      [themes('case', 'k.id', 'k.summary'), 'plain'],
    ];
    return `SELECT ${rendered(format, columns)}
         FROM cases k JOIN customers c ON c.id = k.customer_id JOIN users u ON u.id = k.butler_id
         LEFT JOIN users m ON m.id = u.manager_id
        WHERE ${where.join(' AND ')}
        ORDER BY k.opened_at, k.id`;
  }

  // Follow-ups the caller may see (the policy's follow-up rule), with whether each is overdue now
  // (all rendered).
  followUps(access: Scope, range: ExportPeriod, now: Date, format: ExportFormat): AsyncGenerator<Buffer> {
    return this.copy((_, p) => Promise.resolve(this.followUpsSql(access, range, now, format, p)));
  }

  private followUpsSql(access: Scope, range: ExportPeriod, now: Date, format: ExportFormat, p: SqlParams): string {
    const where = [p.fragment(access.followUps('f', 'c')), 'c.deleted_at IS NULL', ...period(p, 'f.due_at', range)];
    const columns: Column[] = [
      ['f.id', 'plain'],
      [local('f.due_at'), 'plain'],
      ['c.name', 'text'],
      [label(TIER_LABEL, 'c.tier'), 'plain'],
      ['c.city', 'text'],
      ['u.name', 'text'],
      ['m.name', 'text'],
      [label(FOLLOW_UP_KIND_LABEL, 'f.kind'), 'plain'],
      ['f.title', 'text'],
      [label(FOLLOW_UP_STATUS_LABEL, 'f.status'), 'plain'],
      [yesNo(`f.status = 'open' AND f.due_at < ${p.value(now)}::timestamptz`), 'plain'],
      [local('f.completed_at'), 'plain'],
      ['f.outcome', 'text'],
      ['f.note', 'text'],
    ];
    return `SELECT ${rendered(format, columns)}
         FROM follow_ups f JOIN customers c ON c.id = f.customer_id JOIN users u ON u.id = f.butler_id
         LEFT JOIN users m ON m.id = u.manager_id
        WHERE ${where.join(' AND ')}
        ORDER BY f.due_at, f.id`;
  }

  // Renders texts as the large exports do, for the test that proves SQL and TypeScript agree.
  async renderTexts(texts: (string | null)[]): Promise<{ csv: string | null; xml: string | null }[]> {
    const { rows } = await this.pool().query<{ csv: string | null; xml: string | null }>(
      `SELECT ${csvTextSql('x')} AS csv, ${xmlTextSql('x')} AS xml
         FROM unnest($1::text[]) WITH ORDINALITY AS t(x, n) ORDER BY n`,
      [texts],
    );
    return rows;
  }

  // COPY (the statement) TO STDOUT in a read-only transaction (one snapshot for the file, the
  // statement made in it by `statement`, its values written in as literals: COPY takes no
  // parameters), yielding COPY's bytes as they come. pg-copy-streams reads
  // the socket only as fast as they are taken, so a slow download holds PostgreSQL back rather than
  // filling memory. Ending early (the download was cut off) closes the connection instead of
  // returning it to the pool: mid-COPY it cannot roll back, and closing it ends the transaction.
  async *copy(statement: (client: PoolClient, p: SqlParams) => Promise<string>): AsyncGenerator<Buffer> {
    const client = await this.pool().connect();
    let finished = false;
    let stream: ReturnType<typeof copyTo> | null = null;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // No JIT: its compilation cost more than a second of a 100,000-row export (measured).
      await client.query('SET LOCAL jit = off');
      const sql = await statement(client, new SqlParams(sqlLiteral((text) => client.escapeLiteral(text))));
      stream = client.query(copyTo(`COPY (${sql}) TO STDOUT`));
      for await (const chunk of stream) yield chunk as Buffer;
      await client.query('COMMIT');
      finished = true;
    } finally {
      if (finished) client.release();
      else {
        stream?.destroy();
        client.release(new Error('export ended early'));
      }
    }
  }

  private pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }
}
