import { Readable } from 'node:stream';

import ExcelJS from 'exceljs';

import { Cell, cellLines, columnName, csvLine, csvStream, SheetRows, xlsxStream } from './export-writers';

// exceljs no longer writes the .xlsx (the sheet XML goes straight into a zip of our own); it stays
// here as the reader that proves the file opens, with its Chinese headers and the sheets split.
const read = async (stream: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

async function* batches(rows: Cell[][], size: number): AsyncGenerator<Cell[][]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

// Bytes handed on one at a time: escapes and row ends straddle chunks.
async function* byteByByte(lines: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of lines) for (let i = 0; i < chunk.length; i++) yield chunk.subarray(i, i + 1);
}

const HEADER = ['编号', '客户', '可信度标记'];
const sheetRows = (format: 'csv' | 'xlsx', rows: Cell[][], size = 2): SheetRows => ({
  header: HEADER,
  lines: cellLines(format, batches(rows, size)),
});

describe('export writers', () => {
  it('names columns as spreadsheets do', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });

  it("writes CSV from lines in COPY's text form, escapes undone across chunks", async () => {
    const rows: Cell[][] = [
      ['r1', '钱有为', null],
      ['r2', 'a,b\\c', '=可疑'],
      ['r3', '第一行\r\n-第二行\t"引"', 7],
    ];
    const expected = `\uFEFF${[HEADER, ...rows].map(csvLine).join('')}`;
    expect((await read(csvStream(sheetRows('csv', rows)))).toString('utf8')).toBe(expected);
    const split = { header: HEADER, lines: byteByByte(cellLines('csv', batches(rows, 2))) };
    expect((await read(csvStream(split))).toString('utf8')).toBe(expected);
  });

  it('splits an .xlsx into sheets at the row limit, each with the header, and it opens', async () => {
    const rows = [1, 2, 3, 4, 5].map((n) => [`r${n}`, `客户<${n}>&`, n === 3 ? '可疑：原因' : null]);
    const lines = { header: HEADER, lines: byteByByte(cellLines('xlsx', batches(rows, 3))) };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await read(xlsxStream('满意度回复', lines, 2))) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['满意度回复', '满意度回复（2）', '满意度回复（3）']);
    const values = workbook.worksheets.map((sheet) => {
      const out: unknown[][] = [];
      sheet.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    });
    expect(values).toEqual([
      [HEADER, ['r1', '客户<1>&'], ['r2', '客户<2>&']],
      [HEADER, ['r3', '客户<3>&', '可疑：原因'], ['r4', '客户<4>&']],
      [HEADER, ['r5', '客户<5>&']],
    ]);
  });

  it('ends with one sheet when the rows fill it exactly, and writes an empty export as the header alone', async () => {
    const full = new ExcelJS.Workbook();
    const two = [1, 2].map((n) => [`r${n}`, '客户', null]);
    await full.xlsx.load((await read(xlsxStream('回访', sheetRows('xlsx', two), 2))) as unknown as ArrayBuffer);
    expect(full.worksheets.map((s) => s.rowCount)).toEqual([3]);

    const empty = new ExcelJS.Workbook();
    await empty.xlsx.load((await read(xlsxStream('回访', sheetRows('xlsx', [])))) as unknown as ArrayBuffer);
    expect(empty.worksheets.map((s) => s.name)).toEqual(['回访']);
    expect(empty.getWorksheet('回访')!.getRow(1).getCell(3).value).toBe('可信度标记');
  });

  it('writes numbers as numbers, and a text with line breaks and a tab as it is', async () => {
    const workbook = new ExcelJS.Workbook();
    const rows: SheetRows = {
      header: ['管家', '满意率（%）'],
      lines: cellLines('xlsx', batches([['王管家', 87.5]], 10)),
    };
    await workbook.xlsx.load((await read(xlsxStream('管家评分卡', rows))) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('管家评分卡')!;
    expect(sheet.getRow(2).getCell(2).value).toBe(87.5);
    expect(sheet.getRow(2).getCell(1).value).toBe('王管家');
    // Empty cells are left out; the cell after one says where it is.
    const gaps = new ExcelJS.Workbook();
    const gapRows: SheetRows = {
      header: ['1', '2', '3', '4', '5', '6'],
      lines: cellLines('xlsx', batches([[null, 'a', null, null, 3, 'b']], 1)),
    };
    await gaps.xlsx.load((await read(xlsxStream('空', gapRows))) as unknown as ArrayBuffer);
    expect(gaps.getWorksheet('空')!.getRow(2).values).toEqual([
      undefined,
      undefined,
      'a',
      undefined,
      undefined,
      3,
      'b',
    ]);
    const tricky = new ExcelJS.Workbook();
    const text = '第一行\r\n第二行\t\\末尾 <&>';
    const one: SheetRows = { header: ['评论'], lines: cellLines('xlsx', batches([[text]], 1)) };
    await tricky.xlsx.load((await read(xlsxStream('回复', one))) as unknown as ArrayBuffer);
    expect(tricky.getWorksheet('回复')!.getRow(2).getCell(1).value).toBe(text.replace('\r\n', '\n'));
  });
});
