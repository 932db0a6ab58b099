import { Readable } from 'node:stream';

import { neutralizeCell } from '@app/common';

import { ZipWriter } from './zip-writer';

// A cell of an export: text, a number, or empty.
export type Cell = string | number | null;

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

// The rows of a file, as lines in the form of PostgreSQL's COPY … TO STDOUT (text format, one
// column): each row one line ended by LF, with backslash, tab, CR, LF, backspace, form feed and
// vertical tab escaped by a backslash. The large exports are COPY's own bytes: PostgreSQL renders
// each row whole in the file's form (ExportsRepository: the CSV line, or the .xlsx row's XML with
// ROW_MARK where its row number goes), so no row becomes a JavaScript object on the way (a cursor's
// rows did, and at 1M rows the heap they churned grew the API by 200 MB, measured). The few rows
// made here (the scorecard) are put in the same form by cellLines. The writers read the bytes as
// the download takes them: a slow download slows COPY (its socket is read no faster).
export interface SheetRows {
  header: string[];
  lines: AsyncIterable<Buffer>;
}

// = + - @ tab CR: the characters a spreadsheet reads as the start of a formula.
const FORMULA_START = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);

// One CSV cell: formula-safe (neutralizeCell, the rule every CSV of the API follows), quoted when it
// holds a comma, a quote or a line break. The common case (plain text) skips the regular expression.
// ExportsRepository's csvTextSql is the same rule in SQL (test/exports.e2e-spec.ts proves they agree).
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  let text = value;
  if (text.length > 0 && (FORMULA_START.has(text.charCodeAt(0)) || text.includes('\n') || text.includes('\r')))
    text = neutralizeCell(text);
  if (text.includes('"')) return `"${text.replace(/"/g, '""')}"`;
  if (text.includes(',') || text.includes('\n') || text.includes('\r')) return `"${text}"`;
  return text;
}

export function csvLine(cells: Cell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? '' : ',') + csvCell(cells[i]);
  return `${line}\r\n`;
}

// CSV with a UTF-8 BOM (so Excel reads the Chinese), CRLF records, Chinese headers. A rendered
// line ends with CR; COPY's LF after it completes the CRLF.
export function csvStream(rows: SheetRows): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.from(`\uFEFF${csvLine(rows.header)}`, 'utf8');
    const lines = new CopyLines();
    for await (const chunk of rows.lines) yield lines.decode(chunk, 0, null, Infinity).bytes;
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 64 * 1024 });
}

// Excel's limit is 1,048,576 rows a sheet: past it the rows go on in a second sheet (header again).
export const XLSX_MAX_DATA_ROWS = 1_048_575;

// Where a rendered .xlsx row says its row number (<row r="…"> and its first cell's reference): a
// control character, which XML text cannot hold (ExportsRepository drops them from text).
export const ROW_MARK = '\u0001';

// Characters XML 1.0 cannot hold (all controls but tab, LF, CR): dropped, as exceljs did.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const XML_ESCAPE = /[&<>]/g;
const XML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

// XML text content. ExportsRepository's xmlTextSql is the same rule in SQL (tested to agree).
export function xmlText(text: string): string {
  return text.replace(XML_INVALID, '').replace(XML_ESCAPE, (c) => XML_ENTITY[c]);
}

// "A".."Z", "AA".. for a 0-based column.
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

// One .xlsx cell: numbers as numbers, text as an inline string (never a formula, so it needs no
// neutralising; no shared-strings table, so memory does not grow with distinct texts), nothing for
// an empty cell. Every cell says its reference (`ref`): the format makes it optional, but exceljs's
// streaming reader fails on a cell without one (bench/exports.bench.ts reads the 1M file back with
// it), and other readers may too; it makes a row about a fifth larger.
export function xlsxCell(value: Cell, ref: string): string {
  const at = ` r="${ref}"`;
  if (value === null) return '';
  if (typeof value === 'number') return `<c${at}><v>${value}</v></c>`;
  return `<c${at} t="inlineStr"><is><t>${xmlText(value)}</t></is></c>`;
}

// A row of cells, its number (or ROW_MARK) `at`.
function xlsxRow(cells: Cell[], at: string): string {
  let xml = `<row r="${at}">`;
  for (let i = 0; i < cells.length; i++) xml += xlsxCell(cells[i], columnName(i) + at);
  return `${xml}</row>`;
}

const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

// .xlsx: each sheet's XML is written straight into a zip entry (ZipWriter) as the lines come,
// with the download's backpressure; the workbook's small parts follow once the sheet count is known.
export function xlsxStream(sheetName: string, rows: SheetRows, maxRows = XLSX_MAX_DATA_ROWS): Readable {
  const zip = new ZipWriter();
  const headerRow = xlsxRow(rows.header, '1');
  const names: string[] = [];
  const iterator = rows.lines[Symbol.asyncIterator]();
  const lines = new CopyLines();
  // The chunk being read, and how far.
  let pending: Buffer | null = null;
  let offset = 0;
  let done = false;

  // One sheet: the header and up to maxRows data rows (`done` once the rows ran out).
  const sheet = async (put: (chunk: Buffer) => Promise<boolean>): Promise<void> => {
    const open = `${xmlDeclaration}<worksheet xmlns="${MAIN_NS}"><sheetData>`;
    if (!(await put(Buffer.from(open + headerRow, 'utf8')))) return;
    let n = 0;
    for (;;) {
      if (pending === null) {
        const next = await iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        pending = next.value;
        offset = 0;
      }
      if (n === maxRows) break;
      // Rows are numbered from 2 (the header is row 1).
      const decoded = lines.decode(pending, offset, n + 2, maxRows - n);
      n += decoded.rows;
      offset = decoded.end;
      if (offset >= pending.length) pending = null;
      if (!(await put(decoded.bytes))) return;
    }
    await put(Buffer.from('</sheetData></worksheet>', 'utf8'));
  };

  const write = async (): Promise<void> => {
    for (;;) {
      const name = names.length === 0 ? sheetName : `${sheetName}（${names.length + 1}）`;
      names.push(name);
      const ok = await zip.entry(`xl/worksheets/sheet${names.length}.xml`, sheet);
      if (!ok) return;
      if (done) break;
    }
    await part(zip, 'xl/workbook.xml', workbookXml(names));
    await part(zip, 'xl/_rels/workbook.xml.rels', workbookRels(names.length));
    await part(zip, '_rels/.rels', ROOT_RELS);
    await part(zip, '[Content_Types].xml', contentTypes(names.length));
    zip.finish();
  };
  write()
    .catch((error: Error) => zip.out.destroy(error))
    .finally(() => {
      // The download was cut off: end the rows' source (COPY, its transaction and connection) too.
      if (!done) void iterator.return?.();
    });
  return zip.out;
}

// COPY's text form, undone: escapes decoded, LF kept (it ends each row), and in .xlsx rows the
// row number written at each ROW_MARK. An escape may straddle two chunks.
const UNESCAPED = new Uint8Array(256).map((_, b) => b);
UNESCAPED[0x62] = 0x08; // \b
UNESCAPED[0x66] = 0x0c; // \f
UNESCAPED[0x6e] = 0x0a; // \n
UNESCAPED[0x72] = 0x0d; // \r
UNESCAPED[0x74] = 0x09; // \t
UNESCAPED[0x76] = 0x0b; // \v
const BACKSLASH = 0x5c;
const LF = 0x0a;
const MARK = ROW_MARK.charCodeAt(0);

export class CopyLines {
  private escaped = false;

  // Decodes chunk[start..] and stops after maxRows rows; numbers the rows of .xlsx from firstRow
  // (null for CSV, whose text may hold the mark's character).
  decode(
    chunk: Buffer,
    start: number,
    firstRow: number | null,
    maxRows: number,
  ): { bytes: Buffer; end: number; rows: number } {
    // A row number (at most 7 digits) replaces each of a row's two one-byte marks, in a row of at
    // least `<row r="?"><c r="A?"/></row>`: the bytes at most double; escapes only shrink them.
    const out = Buffer.allocUnsafe((chunk.length - start) * 2);
    let o = 0;
    let rows = 0;
    let i = start;
    const marks = firstRow === null ? -1 : MARK;
    let digits = String(firstRow);
    while (i < chunk.length) {
      const b = chunk[i++];
      if (this.escaped) {
        out[o++] = UNESCAPED[b];
        this.escaped = false;
      } else if (b === BACKSLASH) this.escaped = true;
      else if (b === marks) o += out.write(digits, o, 'latin1');
      else {
        out[o++] = b;
        if (b === LF) {
          rows += 1;
          if (rows === maxRows) break;
          if (firstRow !== null) digits = String(firstRow + rows);
        }
      }
    }
    return { bytes: out.subarray(0, o), end: i, rows };
  }
}

// Rows of cells made here (the scorecard) as COPY would give them rendered: CSV lines, or .xlsx
// rows with ROW_MARK for their numbers.
export async function* cellLines(format: ExportFormat, batches: AsyncIterable<Cell[][]>): AsyncGenerator<Buffer> {
  for await (const batch of batches) {
    let text = '';
    for (const cells of batch) {
      const line = format === 'csv' ? csvLine(cells).slice(0, -1) : xlsxRow(cells, ROW_MARK);
      text += `${line.replace(/[\\\b\f\n\r\t\v]/g, (c) => COPY_ESCAPE[c])}\n`;
    }
    yield Buffer.from(text, 'utf8');
  }
}

const COPY_ESCAPE: Record<string, string> = {
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

async function part(zip: ZipWriter, name: string, xml: string): Promise<void> {
  await zip.entry(name, async (put) => {
    await put(Buffer.from(xml, 'utf8'));
  });
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

function workbookXml(names: string[]): string {
  const sheets = names.map((name, i) => `<sheet name="${xmlText(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`);
  const workbook = `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">`;
  return `${xmlDeclaration}${workbook}<sheets>${sheets.join('')}</sheets></workbook>`;
}

function workbookRels(sheets: number): string {
  const rels = range(sheets).map(
    (i) => `<Relationship Id="rId${i}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i}.xml"/>`,
  );
  return `${xmlDeclaration}<Relationships xmlns="${PKG_REL_NS}">${rels.join('')}</Relationships>`;
}

const ROOT_RELS =
  `${xmlDeclaration}<Relationships xmlns="${PKG_REL_NS}">` +
  `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

function contentTypes(sheets: number): string {
  const ct = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
  const overrides = range(sheets).map(
    (i) => `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="${ct}.worksheet+xml"/>`,
  );
  return (
    `${xmlDeclaration}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="${ct}.sheet.main+xml"/>${overrides.join('')}</Types>`
  );
}

export function exportStream(format: ExportFormat, sheetName: string, rows: SheetRows): Readable {
  return format === 'csv' ? csvStream(rows) : xlsxStream(sheetName, rows);
}
