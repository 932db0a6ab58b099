import { PassThrough, Readable } from 'node:stream';

import ExcelJS from 'exceljs';

import { neutralizeCell } from '@app/common';

// A cell of an export: text, a number, or empty.
export type Cell = string | number | null;
// Rows arrive in batches (one FETCH of the cursor each): the writers turn a batch into bytes and
// ask for the next only when the reader took the last (Readable.from pulls, a slow download slows
// the cursor instead of filling memory).
export type Batches = AsyncIterable<Cell[][]>;

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

// = + - @ tab CR: the characters a spreadsheet reads as the start of a formula.
const FORMULA_START = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);

// One CSV cell: formula-safe (neutralizeCell, the rule every CSV of the API follows), quoted when it
// holds a comma, a quote or a line break. The common case (plain text) skips the regular expression.
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
export function csvStream(header: string[], batches: Batches): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.from(`\uFEFF${csvLine(header)}`, 'utf8');
    for await (const batch of batches) {
      let text = '';
      for (const row of batch) text += csvLine(row);
      yield Buffer.from(text, 'utf8');
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 64 * 1024 });
}

// Excel's limit is 1,048,576 rows a sheet: past it the rows go on in a second sheet (header again).
export const XLSX_MAX_DATA_ROWS = 1_048_575;

// .xlsx through exceljs's streaming WorkbookWriter: each row is committed (written to the zip) as
// it is added, no shared-strings table, no styles, so memory stays flat whatever the row count.
// After each batch the writer waits while the download's buffer is full, and lets the zip's
// deflate catch up, before asking the cursor for more. Strings are stored as text cells, never
// formulas, so they need no neutralising.
export function xlsxStream(
  sheetName: string,
  header: string[],
  batches: Batches,
  maxRows = XLSX_MAX_DATA_ROWS,
): Readable {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const write = async (): Promise<void> => {
    let sheets = 1;
    let sheet = workbook.addWorksheet(sheetName);
    sheet.addRow(header).commit();
    let rows = 0;
    for await (const batch of batches) {
      if (out.destroyed) break;
      for (const row of batch) {
        if (rows === maxRows) {
          sheet.commit();
          sheets += 1;
          sheet = workbook.addWorksheet(`${sheetName}（${sheets}）`);
          sheet.addRow(header).commit();
          rows = 0;
        }
        sheet.addRow(row).commit();
        rows += 1;
      }
      await new Promise((resolve) => setImmediate(resolve));
      while (out.writableNeedDrain && !out.destroyed) await drained(out);
    }
    if (out.destroyed) return;
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: Error) => out.destroy(error));
  return out;
}

// The download's buffer has room again, or the download is gone.
function drained(out: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

export function exportStream(format: ExportFormat, sheetName: string, header: string[], batches: Batches): Readable {
  return format === 'csv' ? csvStream(header, batches) : xlsxStream(sheetName, header, batches);
}
