import { Readable } from 'node:stream';

import ExcelJS from 'exceljs';

import { Cell, columnName, csvStream, ROW_MARK, SheetRows, xlsxCell, xlsxStream } from './export-writers';

// exceljs no longer writes the .xlsx (the sheet XML goes straight into a zip of our own); it stays
// here as the reader that proves the file opens, with its Chinese headers and the sheets split.
const read = async (stream: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

async function* batches(rows: unknown[][], size: number): AsyncGenerator<unknown[][]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

// Rows as PostgreSQL renders them: the first two columns rendered (here by xlsxCell or by hand for
// CSV), the third a raw value the cells function turns into a cell.
const HEADER = ['编号', '客户', '可信度标记'];
const renderedXlsx = (id: string, name: string): string =>
  xlsxCell(`A${ROW_MARK}`, id) + xlsxCell(`B${ROW_MARK}`, name);
const sheetRows = (rows: unknown[][], size = 2): SheetRows => ({
  header: HEADER,
  rendered: 2,
  cells: (row) => [row[1] as Cell],
  batches: batches(rows, size),
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

  it('writes CSV lines from the rendered part and the cells after it', async () => {
    const bytes = await read(
      csvStream(
        sheetRows([
          ['r1,钱有为', null],
          ['r2,"a,b"', '=可疑'],
        ]),
      ),
    );
    expect(bytes.toString('utf8')).toBe('\uFEFF编号,客户,可信度标记\r\nr1,钱有为,\r\nr2,"a,b",\'=可疑\r\n');
  });

  it('splits an .xlsx into sheets at the row limit, each with the header, and it opens', async () => {
    const rows = [1, 2, 3, 4, 5].map((n) => [renderedXlsx(`r${n}`, `客户<${n}>&`), n === 3 ? '可疑：原因' : null]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await read(xlsxStream('满意度回复', sheetRows(rows, 3), 2))) as unknown as ArrayBuffer);
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
    const two = [1, 2].map((n) => [renderedXlsx(`r${n}`, '客户'), null]);
    await full.xlsx.load((await read(xlsxStream('回访', sheetRows(two), 2))) as unknown as ArrayBuffer);
    expect(full.worksheets.map((s) => s.rowCount)).toEqual([3]);

    const empty = new ExcelJS.Workbook();
    await empty.xlsx.load((await read(xlsxStream('回访', sheetRows([])))) as unknown as ArrayBuffer);
    expect(empty.worksheets.map((s) => s.name)).toEqual(['回访']);
    expect(empty.getWorksheet('回访')!.getRow(1).getCell(3).value).toBe('可信度标记');
  });

  it('writes numbers as numbers and whole rows from cells alone (the scorecard)', async () => {
    const workbook = new ExcelJS.Workbook();
    const rows: SheetRows = {
      header: ['管家', '满意率（%）'],
      rendered: 0,
      cells: (row) => row as Cell[],
      batches: batches([['王管家', 87.5]], 10),
    };
    await workbook.xlsx.load((await read(xlsxStream('管家评分卡', rows))) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('管家评分卡')!;
    expect(sheet.getRow(2).getCell(2).value).toBe(87.5);
    expect(sheet.getRow(2).getCell(1).value).toBe('王管家');
  });
});
