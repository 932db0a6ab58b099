import { filenameFromDisposition } from './admin';

describe('export file name from content-disposition', () => {
  it('reads the quoted name the API sends', () => {
    expect(filenameFromDisposition('attachment; filename="customers-2026-11-22.csv"', 'x.csv')).toBe(
      'customers-2026-11-22.csv',
    );
  });
  it('prefers an RFC 5987 UTF-8 name', () => {
    expect(
      filenameFromDisposition(`attachment; filename="c.csv"; filename*=UTF-8''%E5%AE%A2%E6%88%B7.csv`, 'x.csv'),
    ).toBe('客户.csv');
  });
  it('reads an unquoted name and falls back when there is none', () => {
    expect(filenameFromDisposition('attachment; filename=clients.csv', 'x.csv')).toBe('clients.csv');
    expect(filenameFromDisposition(null, 'x.csv')).toBe('x.csv');
    expect(filenameFromDisposition('attachment', 'x.csv')).toBe('x.csv');
  });
});
