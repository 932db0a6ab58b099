import { addDays, Clock, shanghaiDay, shanghaiDaysBetween, shanghaiHourMinute, shanghaiTime } from './clock';

describe('Shanghai calendar helpers', () => {
  it('reads the Shanghai date of an instant', () => {
    expect(shanghaiDay(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
    expect(shanghaiDay(new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23');
    expect(shanghaiHourMinute(new Date('2026-11-22T16:05:00Z'))).toBe('00:05');
  });

  it('counts calendar days in Shanghai, never fewer than none', () => {
    expect(shanghaiDaysBetween(new Date('2026-11-22T15:59:00Z'), new Date('2026-11-22T16:01:00Z'))).toBe(1);
    expect(shanghaiDaysBetween(new Date('2026-11-23T16:01:00Z'), new Date('2026-11-22T16:01:00Z'))).toBe(0);
    expect(shanghaiDaysBetween(new Date('2028-02-28T00:00:00Z'), new Date('2028-03-01T00:00:00Z'))).toBe(2);
  });

  it('builds 10:00 Shanghai on a day, and adds days across month ends', () => {
    expect(shanghaiTime('2026-11-25', 10).toISOString()).toBe('2026-11-25T02:00:00.000Z');
    expect(addDays('2026-11-29', 3)).toBe('2026-12-02');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('moves the injectable clock', () => {
    const clock = new Clock();
    clock.travelTo(new Date('2027-09-15T01:00:00Z'));
    expect(Math.abs(clock.now().getTime() - Date.parse('2027-09-15T01:00:00Z'))).toBeLessThan(1000);
    clock.reset();
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000);
  });
});
