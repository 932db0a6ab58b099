import {
  formatDate,
  formatDateTime,
  formatFen,
  parseYuanToFen,
  readableTemplate,
  shanghaiDay,
  waitedLabel,
} from './format';

describe('money in fen', () => {
  it('shows yuan with separators and two decimals', () => {
    expect(formatFen(109900)).toBe('¥1,099.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(-2500)).toBe('-¥25.00');
    expect(formatFen(null)).toBe('—');
  });

  it('reads what a person types, never through floats', () => {
    expect(parseYuanToFen('1,099.5')).toBe(109950);
    expect(parseYuanToFen('¥ 0.07')).toBe(7);
    expect(parseYuanToFen('19.99')).toBe(1999);
    expect(parseYuanToFen('1.999')).toBeNull();
    expect(parseYuanToFen('abc')).toBeNull();
  });
});

describe('dates in Asia/Shanghai', () => {
  it('formats an instant on the Shanghai clock whatever the browser zone', () => {
    // 2026-11-22 23:30 UTC is already the 23rd at 07:30 in Shanghai.
    expect(formatDateTime('2026-11-22T23:30:00Z')).toBe('2026-11-23 07:30');
    expect(formatDate('2026-11-22T16:00:00Z')).toBe('2026-11-23');
    expect(shanghaiDay(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
    expect(formatDateTime(null)).toBe('—');
  });
});

describe('a template as a reader sees it', () => {
  it('names each placeholder it knows and leaves the rest as written', () => {
    const names = { 'customer.salutation': '称呼', 'festival.name': '节日名称' };
    expect(readableTemplate('{{customer.salutation}}，您好', names)).toBe('〔称呼〕，您好');
    expect(readableTemplate('{{ festival.name }}快乐 {{unknown}}', names)).toBe('〔节日名称〕快乐 {{unknown}}');
  });
});

describe('waitedLabel', () => {
  it('says minutes, then hours, then days', () => {
    const now = new Date('2026-11-20T12:00:00+08:00');
    expect(waitedLabel('2026-11-20T11:35:00+08:00', now)).toBe('已等 25 分钟');
    expect(waitedLabel('2026-11-20T09:00:00+08:00', now)).toBe('已等 3 小时');
    expect(waitedLabel('2026-11-18T13:00:00+08:00', now)).toBe('已等 47 小时');
    expect(waitedLabel('2026-11-17T12:00:00+08:00', now)).toBe('已等 3 天');
    expect(waitedLabel('2026-11-20T12:05:00+08:00', now)).toBe('已等 0 分钟');
  });
});
