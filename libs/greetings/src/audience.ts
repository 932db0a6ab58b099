import { teamScope } from '@app/access';
import { birthdayKeysOn } from '@app/calendar';

import type { CampaignAudience } from './entities/campaign.entity';

// The WHERE clause selecting a campaign's clients (alias c), with positional parameters starting
// at $start. Consent and email are not filtered here: those clients are recorded as skipped.
export function audienceWhere(
  audience: CampaignAudience,
  managerId: string | null,
  start: number,
): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${start + params.length - 1}`;
  };
  // The campaign's team (the access policy's client scope of that team), or everyone's clients.
  const team = teamScope(managerId).clients('c').at(start);
  params.push(...team.params);
  clauses.push(team.sql);
  if (audience.scope === 'butler' && audience.butlerId) clauses.push(`c.butler_id = ${param(audience.butlerId)}`);
  if (audience.tiers?.length) clauses.push(`c.tier::text = ANY(${param(audience.tiers)})`);
  if (audience.tags?.length) clauses.push(`c.tags && ${param(audience.tags)}::text[]`);
  if (audience.aromas?.length) {
    clauses.push(`EXISTS (SELECT 1 FROM taste_profiles tp, jsonb_array_elements(tp.aromas) a
      WHERE tp.customer_id = c.id AND a->>'type' = ANY(${param(audience.aromas)}) AND (a->>'weight')::float >= 0.5)`);
  }
  if (audience.birthdayOn) {
    const keys = birthdayKeysOn(audience.birthdayOn);
    const match = keys.map((k) => {
      const leap = k.calendar === 'lunar' ? ` AND c.birthday_leap_month = ${k.leapMonth}` : '';
      const day = `c.birthday_month = ${k.month} AND c.birthday_day = ${k.day}`;
      return `(c.birthday_calendar = '${k.calendar}' AND ${day}${leap})`;
    });
    clauses.push(`(${match.join(' OR ')})`);
  }
  return { sql: clauses.join(' AND '), params };
}
