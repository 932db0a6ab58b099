import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { SqlParams } from '@app/common';
import type { MessageStatus } from '@app/mail';

import type { WebhookEvent } from './entities/webhook-endpoint.entity';

export interface EndpointTarget {
  id: string;
  url: string;
}

export interface EndpointSecret {
  id: string;
  url: string;
  active: boolean;
  secret_sealed: string;
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string | null;
  to_address: string;
  event: WebhookEvent;
  status: MessageStatus;
  attempts: number;
  last_error: string | null;
  provider_message_id: string | null;
  created_at: Date;
  sent_at: Date | null;
}

// What an event says about a survey answer or a case (read from their owners' tables).
export interface ResponseFacts {
  id: string;
  csat: number;
  nps: number | null;
  reliability: number | null;
  responsiveness: number | null;
  assurance: number | null;
  empathy: number | null;
  tangibles: number | null;
  comment: string;
  responded_at: Date;
  channel: string;
  source: string;
  customer_id: string;
  customer_name: string;
  tier: string;
  city: string | null;
  butler_id: string;
  butler_name: string;
}

export interface CaseFacts {
  id: string;
  type: string;
  priority: string;
  status: string;
  channel: string;
  summary: string;
  opened_at: Date;
  first_response_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  customer_id: string;
  customer_name: string;
  tier: string;
  city: string | null;
  butler_id: string;
  butler_name: string;
}

@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Active endpoints subscribed to `event` (few rows: an admin's handful of integrations).
  subscribers(em: EntityManager | null, event: WebhookEvent): Promise<EndpointTarget[]> {
    return (em ?? this.dataSource.manager).query(
      `SELECT id, url FROM webhook_endpoints WHERE active AND $1 = ANY(events) ORDER BY created_at, id`,
      [event],
    );
  }

  // Whether any active endpoint takes one of `events` (WebhookSubscribers keeps the answer).
  async anySubscriber(events: WebhookEvent[]): Promise<boolean> {
    const [row] = await this.dataSource.query<{ any: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE active AND events && $1::text[]) AS any`,
      [events],
    );
    return row.any;
  }

  // The endpoints of a claim's deliveries, with their sealed secrets (in the claim transaction).
  secrets(em: EntityManager, ids: string[]): Promise<EndpointSecret[]> {
    return em.query(`SELECT id, url, active, secret_sealed FROM webhook_endpoints WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async response(id: string): Promise<ResponseFacts | null> {
    const [row] = await this.dataSource.query<ResponseFacts[]>(
      `SELECT r.id, r.csat, r.nps, r.reliability, r.responsiveness, r.assurance, r.empathy, r.tangibles, r.comment,
              r.responded_at, r.channel, i.source, c.id AS customer_id, c.name AS customer_name, c.tier, c.city,
              u.id AS butler_id, u.name AS butler_name
         FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
         JOIN customers c ON c.id = r.customer_id JOIN users u ON u.id = r.butler_id
        WHERE r.id = $1`,
      [id],
    );
    return row ?? null;
  }

  async case(em: EntityManager, id: string): Promise<CaseFacts | null> {
    const [row] = await em.query<CaseFacts[]>(
      `SELECT k.id, k.type, k.priority, k.status, k.channel, k.summary, k.opened_at, k.first_response_at,
              k.resolved_at, k.closed_at, c.id AS customer_id, c.name AS customer_name, c.tier, c.city,
              u.id AS butler_id, u.name AS butler_name
         FROM cases k JOIN customers c ON c.id = k.customer_id JOIN users u ON u.id = k.butler_id
        WHERE k.id = $1`,
      [id],
    );
    return row ?? null;
  }

  // The delivery log, newest first: the outbox's webhook messages.
  deliveries(
    filter: { endpointId?: string; status?: MessageStatus; before?: [unknown, unknown] },
    take: number,
  ): Promise<DeliveryRow[]> {
    const p = new SqlParams();
    const where = [`m.purpose = 'webhook'`];
    if (filter.endpointId) where.push(`m.context->>'endpointId' = ${p.value(filter.endpointId)}`);
    if (filter.status) where.push(`m.status = ${p.value(filter.status)}`);
    if (filter.before) {
      const [at, id] = filter.before;
      where.push(`(m.created_at, m.id) < (${p.value(at)}::timestamptz, ${p.value(id)}::uuid)`);
    }
    return this.dataSource.query(
      `SELECT m.id, m.context->>'endpointId' AS endpoint_id, m.to_address, m.context->>'event' AS event, m.status,
              m.attempts, m.last_error, m.provider_message_id, m.created_at, m.sent_at
         FROM messages m
        WHERE ${where.join(' AND ')}
        ORDER BY m.created_at DESC, m.id DESC LIMIT ${p.value(take)}`,
      p.values,
    );
  }
}
