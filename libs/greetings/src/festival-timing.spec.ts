import { greetedFestival, passedFestival } from './festival-timing';

describe('festival timing', () => {
  it('greets the festival of the send day year, up to and including its day', () => {
    expect(greetedFestival('mid_autumn', '2027-09-01')?.date).toBe('2027-09-15');
    expect(passedFestival('mid_autumn', '2027-09-15')).toBeNull();
    expect(passedFestival('mid_autumn', '2027-01-21')).toBeNull();
  });

  it('calls a greeting sent after the festival late', () => {
    expect(passedFestival('mid_autumn', '2027-09-16')?.date).toBe('2027-09-15');
    expect(passedFestival('national_day', '2026-11-22')?.date).toBe('2026-10-01');
    // 2026 中秋 was 09-25; 2027's is more than 60 days away.
    expect(passedFestival('mid_autumn', '2026-11-22')?.date).toBe('2026-09-25');
  });

  it('reads a December greeting for 元旦 or 春节 as early for the coming year', () => {
    expect(greetedFestival('new_year', '2026-12-31')?.date).toBe('2027-01-01');
    expect(passedFestival('new_year', '2026-12-31')).toBeNull();
    expect(greetedFestival('spring_festival', '2026-12-28')?.date).toBe('2027-02-06');
    expect(passedFestival('new_year', '2027-01-02')?.date).toBe('2027-01-01');
  });

  it('has no festival for birthdays and custom greetings', () => {
    expect(greetedFestival('birthday', '2027-09-15')).toBeNull();
    expect(passedFestival('custom', '2027-09-15')).toBeNull();
  });
});
