import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { consentSql } from '@app/customers';

import { audienceWhere } from './audience';
import type { CampaignAudience } from './entities/campaign.entity';

// Planning a campaign and previewing it read the audience with the same SQL: the clients of the
// audience (alias c) with their butler (b), whether the greeting cap holds them back (capped.hit),
// what each message is rendered from (its context) and why one is skipped. Parameters: $1 the
// campaign, $2 its send time, $3 the cap in days; the audience's own parameters follow from $4.
export const AUDIENCE_PARAMS_START = 4;

// The clients of the audience, with their butler and the cap.
export const audienceFromSql = (where: string): string =>
  `FROM customers c
   JOIN users b ON b.id = c.butler_id
   CROSS JOIN LATERAL (SELECT EXISTS (
     SELECT 1 FROM messages m2
     WHERE m2.customer_id = c.id AND m2.purpose = 'greeting' AND m2.status IN ('sent', 'sending', 'pending')
       AND m2.campaign_id IS DISTINCT FROM $1::uuid
       AND m2.scheduled_at > $2::timestamptz - make_interval(days => $3::int)
       AND m2.scheduled_at < $2::timestamptz + make_interval(days => $3::int)) AS hit) capped
  WHERE ${where}`;

// Why a client of the audience gets no greeting (null: they get one). The consent rule is the
// customers library's.
export const skipReasonSql = (): string =>
  `CASE WHEN NOT ${consentSql('c', 'greetings')} THEN 'no_consent'
        WHEN c.email IS NULL THEN 'no_email' WHEN capped.hit THEN 'capped' END`;

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
  skipped: Record<string, number>;
}

export interface AudienceSample {
  customerId: string;
  context: GreetingContext;
}

@Injectable()
export class AudienceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Who the campaign would greet if it were planned at `sendAt`, and why the others would be skipped.
  async reach(
    campaign: { id: string; audience: CampaignAudience; managerId: string | null },
    sendAt: Date,
    minDays: number,
  ): Promise<AudienceReach> {
    const where = audienceWhere(campaign.audience, campaign.managerId, AUDIENCE_PARAMS_START);
    const rows: { reason: string | null; n: string }[] = await this.dataSource.query(
      `SELECT reason, count(*) AS n
         FROM (SELECT ${skipReasonSql()} AS reason ${audienceFromSql(where.sql)}) r
        GROUP BY reason`,
      [campaign.id, sendAt, minDays, ...where.params],
    );
    const reach: AudienceReach = { audience: 0, reachable: 0, skipped: {} };
    for (const { reason, n } of rows) {
      reach.audience += Number(n);
      if (reason) reach.skipped[reason] = Number(n);
      else reach.reachable += Number(n);
    }
    return reach;
  }

  // Up to `limit` clients the campaign would greet (by id, a stable choice), with their context.
  async samples(
    campaign: { id: string; audience: CampaignAudience; managerId: string | null },
    sendAt: Date,
    minDays: number,
    limit: number,
  ): Promise<AudienceSample[]> {
    const where = audienceWhere(campaign.audience, campaign.managerId, AUDIENCE_PARAMS_START);
    const rows: { id: string; context: GreetingContext }[] = await this.dataSource.query(
      `SELECT c.id, ${greetingContextSql()} AS context ${audienceFromSql(where.sql)}
          AND ${skipReasonSql()} IS NULL
        ORDER BY c.id LIMIT $${AUDIENCE_PARAMS_START + where.params.length}`,
      [campaign.id, sendAt, minDays, ...where.params, limit],
    );
    return rows.map((r) => ({ customerId: r.id, context: r.context }));
  }
}
