import type { ImportFailure, ImportResult } from '../../api/admin';
import { sampleCsv } from './csvColumns';
import { failureRows, importSummary } from './importResult';

const result: ImportResult = {
  importId: 'i1',
  encoding: 'utf8',
  rows: 5,
  created: 2,
  updated: 1,
  unchanged: 0,
  failedRows: 2,
  failedTotal: 3,
  failed: [
    {
      row: 4,
      field: 'tier',
      code: 'isIn',
      params: { values: ['regular', 'silver', 'gold', 'black'] },
      message: 'tier must be one of the following values: regular, silver, gold, black',
    },
    { row: 2, field: 'mobile', code: 'isMobile', params: {}, message: 'mobile must be a mainland mobile number' },
    { row: 4, field: null, code: 'extraCells', params: { max: 14 }, message: 'row has more cells than the header' },
  ],
};

describe('import result → summary and error table', () => {
  it('lists failures by row with the column named as in the file, each said in Chinese', () => {
    expect(
      failureRows(result.failed).map(({ row, column, field, message }) => ({ row, column, field, message })),
    ).toEqual([
      { row: 2, column: '手机', field: 'mobile', message: '请输入有效的中国大陆手机号' },
      { row: 4, column: '等级', field: 'tier', message: '请从可选项中选择' },
      { row: 4, column: null, field: null, message: '该行的列数多于表头（14 列）' },
    ]);
  });

  it('gives every table row a distinct key', () => {
    const rows = failureRows([...result.failed, { row: 4, field: 'tier', code: 'isIn', message: 'again' }]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('keeps a field the console does not know under its API name', () => {
    // A newer API may name a column this build's types do not have.
    const unknown = { row: 1, field: 'nickname', message: 'x' } as unknown as ImportFailure;
    expect(failureRows([unknown])[0].column).toBe('nickname');
  });

  it('summarises counts and says when the failure list was cut short', () => {
    expect(importSummary(result)).toEqual({
      rows: 5,
      created: 2,
      updated: 1,
      unchanged: 0,
      failedRows: 2,
      truncated: false,
    });
    expect(importSummary({ ...result, failedTotal: 3, failed: result.failed.slice(0, 2) }).truncated).toBe(true);
  });
});

describe('sample CSV', () => {
  it('has a BOM, the import headers and the butler email given', () => {
    const csv = sampleCsv('lin@example.com');
    expect(
      csv.startsWith('\uFEFF姓名,手机,邮箱,性别,生日,历法,闰月,城市,等级,标签,管家邮箱,问候同意,调查同意,备注\r\n'),
    ).toBe(true);
    expect(csv.split('\r\n')[1]).toContain('lin@example.com');
    expect(csv.split('\r\n')).toHaveLength(4);
  });
});
