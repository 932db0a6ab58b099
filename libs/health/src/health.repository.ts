import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface StatusCount {
  status: string;
  n: number;
}

// The metrics' SQL (docs/architecture.md, "Writing SQL"). A metric whose query fails (database
// away) reads as empty rather than failing the scrape.
@Injectable()
export class HealthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private rows<T>(sql: string): Promise<T[]> {
    return this.dataSource.query(sql).catch(() => []);
  }

  outboxByStatus(): Promise<StatusCount[]> {
    return this.rows(
      `SELECT status::text, count(*)::int AS n FROM messages
        WHERE status IN ('pending', 'sending', 'failed') GROUP BY status`,
    );
  }

  sendingCampaignsByStatus(): Promise<StatusCount[]> {
    return this.rows(
      `SELECT m.status::text, count(*)::int AS n
         FROM messages m JOIN greeting_campaigns c ON c.id = m.campaign_id AND c.status = 'sending'
        GROUP BY m.status`,
    );
  }

  async responsesRecorded(): Promise<{ n: number } | undefined> {
    const [row] = await this.rows<{ n: number }>(
      `SELECT coalesce(sum(responses), 0)::int AS n FROM butler_daily_stats`,
    );
    return row;
  }
}
