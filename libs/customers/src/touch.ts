import { SqlFragment, sqlFragment } from '@app/common';
import type { TouchSettingsDto } from '@app/settings';

import type { Tier } from './entities/customer.entity';

const DAY_MS = 86_400_000;

// "Silent" (久未联系): not touched — reached by a contact, bought, answered a survey — for a number of
// days. A client never touched counts from when they were registered, so a client added yesterday is
// not silent. SQL over a customers row (alias) and TypeScript over its facts, side by side; "now" is
// the app's Clock.
export function touchedSince(alias: string): string {
  return `COALESCE(${alias}.last_touch_at, ${alias}.created_at)`;
}

// Not touched for at least `days` days.
export function silentForSql(alias: string, days: number, asOf: Date): SqlFragment {
  return sqlFragment(
    (bind) =>
      `${touchedSince(alias)} <= ${bind(asOf.toISOString())}::timestamptz - make_interval(days => ${bind(days)}::int)`,
  );
}

// Past their tier's limit (settings.touch.maxDaysByTier).
export function silentByTierSql(alias: string, touch: TouchSettingsDto, asOf: Date): SqlFragment {
  return sqlFragment((bind) => {
    const limits = touch.maxDaysByTier;
    const days = `CASE ${alias}.tier WHEN 'black' THEN ${bind(limits.black)}::int
      WHEN 'gold' THEN ${bind(limits.gold)}::int WHEN 'silver' THEN ${bind(limits.silver)}::int
      ELSE ${bind(limits.regular)}::int END`;
    return `${touchedSince(alias)} <= ${bind(asOf.toISOString())}::timestamptz - make_interval(days => ${days})`;
  });
}

export interface TouchFacts {
  tier: Tier;
  lastTouchAt: Date | null;
  createdAt: Date;
}

// Whole days since the last touch (or registration).
export function daysSilent(facts: TouchFacts, asOf: Date): number {
  return Math.floor((asOf.getTime() - (facts.lastTouchAt ?? facts.createdAt).getTime()) / DAY_MS);
}

// The same rule as silentByTierSql.
export function isSilent(facts: TouchFacts, touch: TouchSettingsDto, asOf: Date): boolean {
  return daysSilent(facts, asOf) >= touch.maxDaysByTier[facts.tier];
}
