import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface SenderRow {
  customer_id: string;
  butler_id: string;
  wecom_user_id: string | null;
}

export interface TaskMessageRow {
  id: string;
  to_address: string;
  delivery_status: string | null;
}

export interface SyncClientRow {
  id: string;
  name: string;
  mobile: string | null;
  external_user_id: string | null;
}

// The WeCom library's SQL (docs/architecture.md, "Writing SQL"): reads of the clients, butlers and
// messages its tasks and sync need (their owners write them).
@Injectable()
export class WecomRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Each client's butler and the butler's WeCom userid (a 群发 task's sender).
  async senders(customerIds: string[]): Promise<SenderRow[]> {
    return this.dataSource.query(
      `SELECT c.id AS customer_id, c.butler_id, u.wecom_user_id
         FROM customers c JOIN users u ON u.id = c.butler_id AND u.active
        WHERE c.id = ANY($1::uuid[])`,
      [customerIds],
    );
  }

  async campaignOccasion(campaignId: string): Promise<string | null> {
    const [row]: { occasion: string }[] = await this.dataSource.query(
      `SELECT occasion FROM greeting_campaigns WHERE id = $1`,
      [campaignId],
    );
    return row?.occasion ?? null;
  }

  // The sent messages of a task (msgid), each with its client's external user id.
  async taskMessages(msgid: string): Promise<TaskMessageRow[]> {
    return this.dataSource.query(
      `SELECT id, to_address, delivery_status FROM messages
        WHERE channel = 'wecom' AND provider_message_id = $1 AND status = 'sent'`,
      [msgid],
    );
  }

  // Tasks whose results may still change: unconfirmed, or confirmed with messages not yet settled;
  // created within POLL_DAYS (by the database's clock, which wrote created_at).
  async openTaskIds(days: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM wecom_group_tasks
        WHERE (status = 'unconfirmed' OR (status = 'sent' AND delivered_count + undelivered_count < client_count))
          AND created_at > now() - make_interval(days => $1::int)
        ORDER BY created_at LIMIT $2`,
      [days, limit],
    );
    return rows.map((r) => r.id);
  }

  // A butler's clients on the books, for the contact sync's matching.
  async butlerClients(butlerId: string): Promise<SyncClientRow[]> {
    return this.dataSource.query(
      `SELECT id, name, mobile, external_user_id FROM customers WHERE butler_id = $1 AND deleted_at IS NULL`,
      [butlerId],
    );
  }
}
