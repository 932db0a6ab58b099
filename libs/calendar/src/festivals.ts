import { isoDate, lunarToSolar } from './calendar';

export const FESTIVAL_KEYS = [
  'new_year',
  'spring_festival',
  'lantern',
  'dragon_boat',
  'qixi',
  'mid_autumn',
  'national_day',
  'double_ninth',
] as const;
export type FestivalKey = (typeof FESTIVAL_KEYS)[number];

interface FestivalRule {
  key: FestivalKey;
  name: string;
  calendar: 'solar' | 'lunar';
  month: number;
  day: number;
}

// The festivals a butler greets clients on. Lunar ones move every year and are computed.
export const FESTIVAL_RULES: FestivalRule[] = [
  { key: 'new_year', name: '元旦', calendar: 'solar', month: 1, day: 1 },
  { key: 'spring_festival', name: '春节', calendar: 'lunar', month: 1, day: 1 },
  { key: 'lantern', name: '元宵节', calendar: 'lunar', month: 1, day: 15 },
  { key: 'dragon_boat', name: '端午节', calendar: 'lunar', month: 5, day: 5 },
  { key: 'qixi', name: '七夕', calendar: 'lunar', month: 7, day: 7 },
  { key: 'mid_autumn', name: '中秋节', calendar: 'lunar', month: 8, day: 15 },
  { key: 'national_day', name: '国庆节', calendar: 'solar', month: 10, day: 1 },
  { key: 'double_ninth', name: '重阳节', calendar: 'lunar', month: 9, day: 9 },
];

export interface Festival {
  key: FestivalKey;
  name: string;
  date: string;
  calendar: 'solar' | 'lunar';
}

// A festival's solar date in a given year. Every lunar festival here of lunar year Y falls in
// solar year Y (春节 is never before 21 January).
export function festivalsOf(year: number): Festival[] {
  return FESTIVAL_RULES.map((rule) => ({
    key: rule.key,
    name: rule.name,
    calendar: rule.calendar,
    date: rule.calendar === 'solar' ? isoDate(year, rule.month, rule.day) : lunarToSolar(year, rule.month, rule.day),
  })).sort((a, b) => a.date.localeCompare(b.date));
}

export function festivalName(key: string): string | null {
  return FESTIVAL_RULES.find((r) => r.key === key)?.name ?? null;
}
