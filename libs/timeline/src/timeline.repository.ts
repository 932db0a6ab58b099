import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface TimelineRow {
  type: string;
  id: string;
  at: Date;
  data: Record<string, unknown>;
}

export interface DeliveryLogRow {
  id: string;
  purpose: string;
  channel: string;
  campaignId: string | null;
  toAddress: string | null;
  status: string;
  skipReason: string | null;
  attempts: number;
  lastError: string | null;
  scheduledAt: Date;
  sentAt: Date | null;
  createdAt: Date;
}

// Each source is one SELECT of (type, id, at, data) for the client $1.
const SOURCES: string[] = [
  `SELECT 'purchase' AS type, p.id, p.purchased_at AS at,
          jsonb_build_object('orderRef', p.order_ref, 'channel', p.channel, 'totalFen', p.total_fen,
            'butlerId', p.butler_id,
            'items', (SELECT jsonb_agg(jsonb_build_object('productId', i.product_id, 'name', pr.name,
                                                          'quantity', i.quantity, 'unitPriceFen', i.unit_price_fen)
                                       ORDER BY pr.name)
                        FROM purchase_items i JOIN products pr ON pr.id = i.product_id
                       WHERE i.purchase_id = p.id)) AS data
     FROM purchases p WHERE p.customer_id = $1`,
  `SELECT 'message' AS type, m.id, COALESCE(m.sent_at, m.created_at) AS at,
          jsonb_build_object('purpose', m.purpose, 'channel', m.channel, 'status', m.status, 'subject', m.subject,
            'skipReason', m.skip_reason) AS data
     FROM messages m WHERE m.customer_id = $1`,
  `SELECT 'interaction' AS type, i.id, i.occurred_at AS at,
          jsonb_build_object('kind', i.kind, 'channel', i.channel, 'outcome', i.outcome, 'summary', i.summary,
            'butlerId', i.butler_id, 'butlerName', b.name, 'recordedBy', i.recorded_by, 'recordedByName', r.name,
            'followUpId', i.follow_up_id, 'caseId', i.case_id) AS data
     FROM interactions i JOIN users b ON b.id = i.butler_id LEFT JOIN users r ON r.id = i.recorded_by
    WHERE i.customer_id = $1`,
  `SELECT 'follow_up' AS type, f.id, f.created_at AS at,
          jsonb_build_object('kind', f.kind, 'title', f.title, 'dueAt', f.due_at, 'status', f.status,
            'butlerId', f.butler_id) AS data
     FROM follow_ups f WHERE f.customer_id = $1`,
  `SELECT 'case' AS type, k.id, k.opened_at AS at,
          jsonb_build_object('caseType', k.type, 'priority', k.priority, 'status', k.status, 'summary', k.summary,
            'butlerId', k.butler_id,
            'purchaseId', k.purchase_id, 'resolvedAt', k.resolved_at, 'closedAt', k.closed_at) AS data
     FROM cases k WHERE k.customer_id = $1`,
  `SELECT 'survey_response' AS type, r.id, r.responded_at AS at,
          jsonb_build_object('csat', r.csat, 'nps', r.nps, 'reliability', r.reliability,
            'responsiveness', r.responsiveness, 'assurance', r.assurance, 'empathy', r.empathy,
            'tangibles', r.tangibles, 'comment', r.comment, 'butlerId', r.butler_id,
            'source', i.source, 'kind', r.kind) AS data
     FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id WHERE r.customer_id = $1`,
  `SELECT 'assignment' AS type, a.id, a.created_at AS at,
          jsonb_build_object('fromButlerId', a.changes->'butlerId'->>'from',
            'toButlerId', a.changes->'butlerId'->>'to', 'by', a.actor_id) AS data
     FROM audit_log a WHERE a.entity_type = 'customer' AND a.entity_id = $1 AND a.action = 'assign'`,
  `SELECT 'wecom' AS type, w.id, w.occurred_at AS at,
          jsonb_build_object('changeType', w.change_type, 'butlerId', w.butler_id, 'butlerName', b.name) AS data
     FROM wecom_contact_events w LEFT JOIN users b ON b.id = w.butler_id WHERE w.customer_id = $1`,
];

// The timeline library's SQL (docs/architecture.md, "Writing SQL").
@Injectable()
export class TimelineRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // One page of the union, newest first; `before` is the cursor's (at, id).
  async events(customerId: string, take: number, before?: [unknown, unknown]): Promise<TimelineRow[]> {
    const params: unknown[] = [customerId, take];
    let after = '';
    if (before) {
      params.push(...before);
      after = 'WHERE (e.at, e.id) < (CAST($3 AS timestamptz), CAST($4 AS uuid))';
    }
    return this.dataSource.query(
      `SELECT * FROM (SELECT u.type, u.id, date_trunc('milliseconds', u.at) AS at, u.data
                        FROM (${SOURCES.join(' UNION ALL ')}) u) e
       ${after} ORDER BY e.at DESC, e.id DESC LIMIT $2`,
      params,
    );
  }

  async deliveryLog(customerId: string, limit: number): Promise<DeliveryLogRow[]> {
    return this.dataSource.query(
      `SELECT id, purpose, channel, campaign_id AS "campaignId", to_address AS "toAddress", status,
              skip_reason AS "skipReason", attempts, last_error AS "lastError", scheduled_at AS "scheduledAt",
              sent_at AS "sentAt", created_at AS "createdAt"
       FROM messages WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [customerId, limit],
    );
  }
}
