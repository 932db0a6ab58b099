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

// The rows of a file. The large exports have PostgreSQL render most of each row in the file's own
// form (ExportsRepository: the CSV cells joined by commas, or the .xlsx cells' XML), so that a row
// costs this process one string instead of a score of cells; what only TypeScript can say (the
// integrity flag's wording) follows as cells. So each row is [rendered, ...the rest's raw values]:
// - `rendered`: how many leading columns row[0] holds (0: none, and row[0] is not a rendering);
// - `cells(row)`: the cells after them, from the raw values.
// Rows arrive in batches (one FETCH of the cursor each): the writers turn a batch into bytes and
// ask for the next only when the download took the last, so a slow download slows the cursor
// instead of filling memory.
export interface SheetRows {
  header: string[];
  rendered: number;
  cells: (row: unknown[]) => Cell[];
  batches: AsyncIterable<unknown[][]>;
}

// Text is turned into bytes (and handed on) every CHUNK characters, not once a batch: a string
// larger than V8's regular object limit (about 128 KB) is made in the old generation's large-object
// space, where a batch's text (300 KB of CSV, 3 MB of sheet XML) lingered until a full collection;
// at 1M rows that was 200 MB of heap (measured). Chunks this small die young.
const CHUNK = 16 * 1024;

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

// CSV with a UTF-8 BOM (so Excel reads the Chinese), CRLF records, Chinese headers.
export function csvStream(rows: SheetRows): Readable {
  const { rendered, cells } = rows;
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.from(`\uFEFF${csvLine(rows.header)}`, 'utf8');
    let text = '';
    for await (const batch of rows.batches) {
      for (const row of batch) {
        let line = rendered > 0 ? (row[0] as string) : '';
        const rest = cells(row);
        for (let i = 0; i < rest.length; i++) line += (rendered + i === 0 ? '' : ',') + csvCell(rest[i]);
        text += `${line}\r\n`;
        if (text.length >= CHUNK) {
          yield Buffer.from(text, 'utf8');
          text = '';
        }
      }
    }
    if (text) yield Buffer.from(text, 'utf8');
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 64 * 1024 });
}

// Excel's limit is 1,048,576 rows a sheet: past it the rows go on in a second sheet (header again).
export const XLSX_MAX_DATA_ROWS = 1_048_575;

// Where a rendered .xlsx row says its row number (cell references "A" + ROW_MARK…): a control
// character, which XML text cannot hold (ExportsRepository drops them from text before escaping).
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

// One .xlsx cell at `ref`: numbers as numbers, text as an inline string (never a formula, so it
// needs no neutralising; no shared-strings table, so memory does not grow with distinct texts),
// nothing for an empty cell.
export function xlsxCell(ref: string, value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
  return `<c r="${ref}" t="inlineStr"><is><t>${xmlText(value)}</t></is></c>`;
}

const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

// .xlsx: each sheet's XML is written straight into a zip entry (ZipWriter), batch by batch, with
// the download's backpressure; the workbook's small parts follow once the sheet count is known.
export function xlsxStream(sheetName: string, rows: SheetRows, maxRows = XLSX_MAX_DATA_ROWS): Readable {
  const zip = new ZipWriter();
  const { rendered, cells } = rows;
  const columns = rows.header.map((_, i) => columnName(i));
  const headerRow = `<row r="1">${rows.header.map((h, i) => xlsxCell(`${columns[i]}1`, h)).join('')}</row>`;
  const names: string[] = [];
  const iterator = rows.batches[Symbol.asyncIterator]();
  let pending: unknown[][] = [];
  let done = false;

  // One sheet: the header and up to maxRows data rows (`done` once the rows ran out).
  const sheet = async (put: (chunk: Buffer) => Promise<boolean>): Promise<void> => {
    const open = `${xmlDeclaration}<worksheet xmlns="${MAIN_NS}"><sheetData>`;
    if (!(await put(Buffer.from(open + headerRow, 'utf8')))) return;
    let n = 1;
    while (n <= maxRows) {
      if (pending.length === 0) {
        const next = await iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        pending = next.value;
      }
      const take = Math.min(pending.length, maxRows - n + 1);
      let xml = '';
      for (let k = 0; k < take; k++) {
        const row = pending[k];
        n += 1;
        const at = String(n);
        xml += `<row r="${at}">`;
        if (rendered > 0) xml += (row[0] as string).replaceAll(ROW_MARK, at);
        const rest = cells(row);
        for (let i = 0; i < rest.length; i++) xml += xlsxCell(columns[rendered + i] + at, rest[i]);
        xml += '</row>';
        if (xml.length >= CHUNK) {
          if (!(await put(Buffer.from(xml, 'utf8')))) return;
          xml = '';
        }
      }
      pending = take === pending.length ? [] : pending.slice(take);
      if (xml && !(await put(Buffer.from(xml, 'utf8')))) return;
    }
    if (n > maxRows && pending.length === 0) {
      // Exactly full: are there more rows for another sheet?
      const next = await iterator.next();
      if (next.done) done = true;
      else pending = next.value;
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
      // The download was cut off: end the cursor (its transaction and connection) too.
      if (!done) void iterator.return?.();
    });
  return zip.out;
}

async function part(zip: ZipWriter, name: string, xml: string): Promise<void> {
  await zip.entry(name, async (put) => {
    await put(Buffer.from(xml, 'utf8'));
  });
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

function workbookXml(names: string[]): string {
  const sheets = names.map((name, i) => `<sheet name="${xmlText(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`);
  return `${xmlDeclaration}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${sheets.join('')}</sheets></workbook>`;
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
