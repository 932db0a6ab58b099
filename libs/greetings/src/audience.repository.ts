import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { choiceAddressSql, chooseChannelSql } from '@app/customers';
import { CHANNELS, type Channel } from '@app/mail';
import { contactCappedClientsSql } from '@app/mail/sql';
import type { Settings } from '@app/settings';

import { audienceWhere } from './audience';
import type { CampaignAudience } from './entities/campaign.entity';

// Planning a campaign and previewing it read the audience with the same SQL: the clients of the
// audience (alias c) with their butler (b), the channel each would be sent on or why not (ch.choice,
// the customers library's rule), whether the greeting cap holds them back (capped.hit), what each
// message is rendered from (its context) and why one is skipped. Parameters: $1 the campaign, $2
// its send time, $3 the greeting cap in days, $4 and $5 the contact cap (max messages, days); the
// audience's own parameters follow from $6.
export const AUDIENCE_PARAMS_START = 6;

// What planning reads from settings.
export interface PlanRules {
  greetingMinDays: number;
  maxMessagesPerDays: { max: number; days: number };
  order: readonly Channel[];
}

export const planRulesOf = (settings: Settings): PlanRules => ({
  greetingMinDays: settings.caps.greetingMinDays,
  maxMessagesPerDays: settings.caps.maxMessagesPerDays,
  order: settings.channels.order,
});

// $1…$5 of the audience SQL.
export const audienceParams = (campaignId: string, sendAt: Date, rules: PlanRules): unknown[] => [
  campaignId,
  sendAt,
  rules.greetingMinDays,
  rules.maxMessagesPerDays.max,
  rules.maxMessagesPerDays.days,
];

// The clients of the audience, with their butler, their channel and the greeting cap. (OFFSET 0
// keeps the choice a subquery evaluated once per client, not inlined at each of its uses.)
export const audienceFromSql = (where: string, order: readonly Channel[]): string =>
  `FROM customers c
   JOIN users b ON b.id = c.butler_id
   CROSS JOIN LATERAL (SELECT ${chooseChannelSql('c', 'greetings', order)} AS choice OFFSET 0) ch
   CROSS JOIN LATERAL (SELECT EXISTS (
     SELECT 1 FROM messages m2
     WHERE m2.customer_id = c.id AND m2.purpose = 'greeting' AND m2.status IN ('sent', 'sending', 'pending')
       AND m2.campaign_id IS DISTINCT FROM $1::uuid
       AND m2.scheduled_at > $2::timestamptz - make_interval(days => $3::int)
       AND m2.scheduled_at < $2::timestamptz + make_interval(days => $3::int)) AS hit) capped
  WHERE ${where}`;

const CHANNEL_LIST = CHANNELS.map((ch) => `'${ch}'`).join(', ');

// The channel a message is recorded on: the one chosen (a skipped message: email, never used).
export const channelSql = (): string => `CASE WHEN ch.choice IN (${CHANNEL_LIST}) THEN ch.choice ELSE 'email' END`;

// Its address on that channel (NULL when skipped for want of one).
export const addressSql = (): string => choiceAddressSql('c', 'ch.choice');

// Why a client of the audience gets no greeting (null: they get one): no channel (the customers
// library's refusal), the greeting cap or the contact cap across channels and purposes.
const CONTACT_CAPPED = contactCappedClientsSql({ at: '$2::timestamptz', max: '$4::int', days: '$5::int' });
export const skipReasonSql = (): string =>
  `CASE WHEN ch.choice NOT IN (${CHANNEL_LIST}) THEN ch.choice
        WHEN capped.hit OR c.id IN ${CONTACT_CAPPED} THEN 'capped' END`;

// What a greeting is rendered from (GreetingContext).
export const greetingContextSql = (): string =>
  `jsonb_build_object('name', c.name, 'gender', c.gender, 'butlerName', b.name,
     'favoriteAroma', (SELECT a->>'type' FROM taste_profiles tp, jsonb_array_elements(tp.aromas) a
                       WHERE tp.customer_id = c.id ORDER BY (a->>'weight')::float DESC LIMIT 1))`;

export interface GreetingContext {
  name: string;
  gender: string | null;
  butlerName: string;
  favoriteAroma: string | null;
}

export interface AudienceReach {
  audience: number;
  reachable: number;
  reachableBy: Partial<Record<Channel, number>>;
  skipped: Record<string, number>;
}

export interface AudienceSample {
  customerId: string;
  context: GreetingContext;
}

@Injectable()
export class AudienceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Who the campaign would greet if it were planned at `sendAt`, on which channel, and why the
  // others would be skipped.
  async reach(
    campaign: { id: string; audience: CampaignAudience; managerId: string | null },
    sendAt: Date,
    rules: PlanRules,
  ): Promise<AudienceReach> {
    const where = audienceWhere(campaign.audience, campaign.managerId, AUDIENCE_PARAMS_START);
    const rows: { reason: string | null; channel: Channel; n: string }[] = await this.dataSource.query(
      `SELECT reason, channel, count(*) AS n
         FROM (SELECT ${skipReasonSql()} AS reason, ${channelSql()} AS channel
                 ${audienceFromSql(where.sql, rules.order)}) r
        GROUP BY reason, channel`,
      [...audienceParams(campaign.id, sendAt, rules), ...where.params],
    );
    const reach: AudienceReach = { audience: 0, reachable: 0, reachableBy: {}, skipped: {} };
    for (const { reason, channel, n } of rows) {
      reach.audience += Number(n);
      if (reason) reach.skipped[reason] = (reach.skipped[reason] ?? 0) + Number(n);
      else {
        reach.reachable += Number(n);
        reach.reachableBy[channel] = Number(n);
      }
    }
    return reach;
  }

  // Up to `limit` clients the campaign would greet (by id, a stable choice), with their context.
  async samples(
    campaign: { id: string; audience: CampaignAudience; managerId: string | null },
    sendAt: Date,
    rules: PlanRules,
    limit: number,
  ): Promise<AudienceSample[]> {
    const where = audienceWhere(campaign.audience, campaign.managerId, AUDIENCE_PARAMS_START);
    const rows: { id: string; context: GreetingContext }[] = await this.dataSource.query(
      `SELECT c.id, ${greetingContextSql()} AS context ${audienceFromSql(where.sql, rules.order)}
          AND ${skipReasonSql()} IS NULL
        ORDER BY c.id LIMIT $${AUDIENCE_PARAMS_START + where.params.length}`,
      [...audienceParams(campaign.id, sendAt, rules), ...where.params, limit],
    );
    return rows.map((r) => ({ customerId: r.id, context: r.context }));
  }
}
