import type { EntityManager } from 'typeorm';

import { isDetractor, STATS_COLUMNS, statsFromRawSql } from '@app/surveys';

import { DemoClient, prng } from './demo-generator';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// How each demo butler tends to be rated (their mean CSAT before noise), so the scorecard, the
// trend and the drivers chart have something to show.
const BUTLER_QUALITY = [4.5, 3.9, 3.3];

const CASE_TYPES = ['quality', 'delivery', 'inquiry', 'exchange', 'complaint'] as const;
const CASE_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
const CASE_SUMMARIES = ['封口轻微渗漏', '物流延误两天', '询问收藏与存放方法', '礼盒破损需更换', '对配送员态度不满'];

const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, Math.round(n)));

export interface ServiceHistoryResult {
  surveyResponses: number;
  cases: number;
}

// Past follow-up calls with survey answers (about two in three answered) and after-sales cases in
// every status, for the demo team. Written once: a second run finds them and adds nothing.
export async function seedServiceHistory(
  em: EntityManager,
  clients: DemoClient[],
  customerIds: string[],
  butlerIds: string[],
  now: Date,
): Promise<ServiceHistoryResult> {
  const [{ n }]: { n: number }[] = await em.query(
    `SELECT count(*)::int AS n FROM survey_invitations WHERE butler_id = ANY($1)`,
    [butlerIds],
  );
  if (n > 0) return { surveyResponses: 0, cases: 0 };
  let surveyResponses = 0;
  let cases = 0;
  for (const client of clients) {
    const rand = prng(7919 + client.index);
    const customerId = customerIds[client.index];
    const butlerId = butlerIds[client.butlerIndex];
    const recent = client.purchases.filter((p) => p.daysAgo >= 5 && p.daysAgo <= 360).slice(0, 2);
    for (const purchase of recent) {
      const contactAt = new Date(now.getTime() - (purchase.daysAgo - 3) * DAY_MS);
      const [interaction]: { id: string }[] = await em.query(
        `INSERT INTO interactions (customer_id, butler_id, kind, channel, outcome, summary, occurred_at)
         VALUES ($1, $2, 'follow_up', 'phone', 'reached', '到货与开瓶体验', $3) RETURNING id`,
        [customerId, butlerId, contactAt],
      );
      if (!client.consentSurveys || !client.email) continue;
      const sentAt = new Date(contactAt.getTime() + 2 * HOUR_MS);
      const answered = rand() < 0.65;
      const [invitation]: { id: string }[] = await em.query(
        `INSERT INTO survey_invitations (customer_id, butler_id, interaction_id, source, status, send_at, sent_at,
          expires_at, responded_at, created_at)
         VALUES ($1, $2, $3, 'follow_up', $4, $5, $5, $6, $7, $8) RETURNING id`,
        [
          customerId,
          butlerId,
          interaction.id,
          answered ? 'responded' : 'sent',
          sentAt,
          new Date(sentAt.getTime() + 14 * DAY_MS),
          answered ? new Date(sentAt.getTime() + 5 * HOUR_MS) : null,
          contactAt,
        ],
      );
      if (!answered) continue;
      // Empathy and responsiveness drive this team's CSAT most; tangibles hardly at all.
      const quality = BUTLER_QUALITY[client.butlerIndex % BUTLER_QUALITY.length] + (rand() - 0.5) * 1.6;
      const empathy = clamp(quality + (rand() - 0.5), 1, 5);
      const responsiveness = clamp(quality + (rand() - 0.5) * 1.2, 1, 5);
      const csat = clamp(0.6 * empathy + 0.4 * responsiveness + (rand() - 0.5) * 0.8, 1, 5);
      const nps = clamp(csat * 2 + (rand() - 0.3) * 2, 0, 10);
      await em.query(
        `INSERT INTO survey_responses (invitation_id, customer_id, butler_id, csat, nps, reliability, responsiveness,
          assurance, empathy, tangibles, comment, responded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          invitation.id,
          customerId,
          butlerId,
          csat,
          nps,
          clamp(quality + (rand() - 0.5) * 1.5, 1, 5),
          responsiveness,
          clamp(quality + (rand() - 0.5) * 1.5, 1, 5),
          empathy,
          clamp(3.8 + (rand() - 0.5) * 2, 1, 5),
          csat >= 4 ? '管家很用心，酒也很好' : csat <= 2 ? '回复太慢，问题拖了很久' : '',
          new Date(sentAt.getTime() + 5 * HOUR_MS),
        ],
      );
      surveyResponses++;
      if (isDetractor({ csat, nps }))
        await em.query(`UPDATE customers SET last_detractor_at = GREATEST(last_detractor_at, $2) WHERE id = $1`, [
          customerId,
          new Date(sentAt.getTime() + 5 * HOUR_MS),
        ]);
    }
    if (client.index % 12 === 0) {
      const k = (client.index / 12) % CASE_STATUSES.length;
      const status = CASE_STATUSES[k];
      const openedAt = new Date(now.getTime() - (3 + k * 5) * DAY_MS);
      const firstResponseAt = status === 'open' ? null : new Date(openedAt.getTime() + (1 + rand() * 6) * HOUR_MS);
      const resolvedAt =
        status === 'resolved' || status === 'closed'
          ? new Date(openedAt.getTime() + (12 + rand() * 60) * HOUR_MS)
          : null;
      await em.query(
        `INSERT INTO cases (customer_id, butler_id, type, priority, channel, summary, status, opened_at,
          first_response_at, resolved_at, closed_at)
         VALUES ($1, $2, $3, $4, 'phone', $5, $6, $7, $8, $9, $10)`,
        [
          customerId,
          butlerId,
          CASE_TYPES[k % CASE_TYPES.length],
          k === 0 ? 'high' : 'normal',
          CASE_SUMMARIES[client.index % CASE_SUMMARIES.length],
          status,
          openedAt,
          firstResponseAt,
          resolvedAt,
          status === 'closed' && resolvedAt ? new Date(resolvedAt.getTime() + DAY_MS) : null,
        ],
      );
      cases++;
    }
  }
  // The report summary of these butlers, from the raw rows (as the nightly recompute builds it).
  const columns = ['butler_id', 'day', ...STATS_COLUMNS].join(', ');
  await em.query(
    `INSERT INTO butler_daily_stats (${columns}) SELECT ${columns} FROM (${statsFromRawSql()}) s
      WHERE s.butler_id = ANY($1) ON CONFLICT DO NOTHING`,
    [butlerIds],
  );
  return { surveyResponses, cases };
}
