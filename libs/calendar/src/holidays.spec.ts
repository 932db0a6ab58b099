import {
  isWorkingDayIn,
  parseScheduleLines,
  publishedSchedule,
  scheduleLines,
  statutoryHolidays,
  yearCalendar,
} from './holidays';

describe('the official calendar', () => {
  const dates = (year: number) => statutoryHolidays(year).map((d) => `${d.date} ${d.name}`);

  it('computes the law days of any year, lunar ones and 清明 included', () => {
    expect(dates(2027)).toEqual([
      '2027-01-01 元旦',
      '2027-02-05 春节',
      '2027-02-06 春节',
      '2027-02-07 春节',
      '2027-02-08 春节',
      '2027-04-05 清明节',
      '2027-05-01 劳动节',
      '2027-05-02 劳动节',
      '2027-06-09 端午节',
      '2027-09-15 中秋节',
      '2027-10-01 国庆节',
      '2027-10-02 国庆节',
      '2027-10-03 国庆节',
    ]);
    // 除夕 is the eve of 正月初一 whether the 12th month has 29 or 30 days; 清明 moves between 4 and 5 April.
    expect(dates(2028).slice(1, 6)).toEqual([
      '2028-01-25 春节',
      '2028-01-26 春节',
      '2028-01-27 春节',
      '2028-01-28 春节',
      '2028-04-04 清明节',
    ]);
    // 中秋 on 3 October 2028: one day off named after both.
    expect(dates(2028)).toContain('2028-10-03 国庆节、中秋节');
    expect(statutoryHolidays(2028)).toHaveLength(12);
    expect(statutoryHolidays(2099)).toHaveLength(13);
    expect(statutoryHolidays(1901)).toHaveLength(13);
  });

  it('knows which years lunar-typescript publishes', () => {
    expect(publishedSchedule(2026)).toContainEqual({ date: '2026-02-28', kind: 'workday', name: '春节' });
    expect(publishedSchedule(2026)).toContainEqual({ date: '2026-01-01', kind: 'holiday', name: '元旦' });
    expect(publishedSchedule(2001)).toBeNull(); // it lists only 2002's make-up days
    expect(publishedSchedule(2027)).toBeNull();
  });

  it('answers working days: make-up days work, days off rest, otherwise Monday to Friday', () => {
    const y2026 = yearCalendar(2026, publishedSchedule(2026));
    expect(isWorkingDayIn(y2026, '2026-10-01')).toBe(false); // 国庆节
    expect(isWorkingDayIn(y2026, '2026-02-14')).toBe(true); // a make-up Saturday
    expect(isWorkingDayIn(y2026, '2026-11-23')).toBe(true); // a Monday
    expect(isWorkingDayIn(y2026, '2026-11-22')).toBe(false); // a Sunday
    const y2027 = yearCalendar(2027, null);
    expect(isWorkingDayIn(y2027, '2027-01-01')).toBe(false);
    expect(isWorkingDayIn(y2027, '2027-02-08')).toBe(false);
    expect(isWorkingDayIn(y2027, '2027-02-09')).toBe(true);
  });

  it('reads the notice as lines, ranges and Chinese kinds included, and folds them back', () => {
    const { days, errors } = parseScheduleLines(
      2027,
      '2027-02-05~2027-02-07 休 春节\r\n\n# 上班\n2027-02-14 班 春节\n2027-03-01 holiday',
    );
    expect(errors).toEqual([]);
    expect(days).toEqual([
      { date: '2027-02-05', kind: 'holiday', name: '春节' },
      { date: '2027-02-06', kind: 'holiday', name: '春节' },
      { date: '2027-02-07', kind: 'holiday', name: '春节' },
      { date: '2027-02-14', kind: 'workday', name: '春节' },
      { date: '2027-03-01', kind: 'holiday', name: '' },
    ]);
    expect(scheduleLines(days)).toBe('2027-02-05~2027-02-07 holiday 春节\n2027-02-14 workday 春节\n2027-03-01 holiday');
  });

  it('names every bad line', () => {
    const { errors } = parseScheduleLines(
      2027,
      [
        '2027-02-05 holiday 春节',
        '2027-02-04~2027-02-06 holiday 春节',
        '2028-01-01 holiday 元旦',
        '2027-02-29 holiday x',
        '2027-03-01 off',
        '2027-01-01~2027-03-01 holiday 长假',
        '2027-05-02 workday 劳动节',
        `2027-03-02 holiday ${'名'.repeat(21)}`,
      ].join('\n'),
    );
    expect(errors.map((e) => [e.line, e.problem])).toEqual([
      [2, 'duplicate'],
      [3, 'outside_year'],
      [4, 'date'],
      [5, 'kind'],
      [6, 'format'],
      [7, 'statutory_workday'],
      [8, 'name'],
    ]);
  });
});
