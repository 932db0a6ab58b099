import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { scopeOf } from '@app/access';
import { AuthUser, SqlParams } from '@app/common';

import type { TransferKind, TransferStatus } from './entities/wecom-transfer.entity';

export interface AlertTargetRow {
  customer_name: string;
  butler_name: string;
  manager_name: string;
  manager_email: string;
}

export interface TransferRow {
  id: string;
  customer_id: string;
  customer_name: string;
  kind: TransferKind;
  from_butler_id: string;
  from_butler_name: string;
  to_butler_id: string;
  to_butler_name: string;
  status: TransferStatus;
  reason: string | null;
  errcode: number | null;
  requested_at: Date;
  takeover_at: Date | null;
  created_at: Date;
}

export interface TransferCandidateRow {
  customer_id: string;
  external_user_id: string | null;
  handover_user_id: string | null;
  takeover_user_id: string | null;
  from_active: boolean;
  recent: number;
}

// The SQL of the WeCom callbacks, sidebar and hand-over: matching a contact to a client, who to
// alert, and the transfers' reads.
@Injectable()
export class WecomEdgeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // The butler's one unbound client this contact is: by a mobile the butler noted on WeCom, else by
  // the remark being exactly one client's name. Several candidates: none (the butler links it).
  async matchClient(
    em: EntityManager,
    butlerId: string,
    mobiles: string[],
    remark: string | null,
  ): Promise<{ id: string; by: 'mobile' | 'remark' } | null> {
    if (mobiles.length > 0) {
      const rows: { id: string }[] = await em.query(
        `SELECT id FROM customers WHERE butler_id = $1 AND deleted_at IS NULL AND external_user_id IS NULL
            AND mobile = ANY($2::text[]) LIMIT 2`,
        [butlerId, mobiles],
      );
      if (rows.length === 1) return { id: rows[0].id, by: 'mobile' };
    }
    if (remark) {
      const rows: { id: string }[] = await em.query(
        `SELECT id FROM customers WHERE butler_id = $1 AND deleted_at IS NULL AND external_user_id IS NULL
            AND name = $2 LIMIT 2`,
        [butlerId, remark],
      );
      if (rows.length === 1) return { id: rows[0].id, by: 'remark' };
    }
    return null;
  }

  // Who hears that a client left: the butler's manager, else the first active admin (the rule of
  // the low-score alert).
  async alertTarget(em: EntityManager, customerId: string): Promise<AlertTargetRow | null> {
    const rows: AlertTargetRow[] = await em.query(
      `SELECT c.name AS customer_name, b.name AS butler_name, o.name AS manager_name, o.email AS manager_email
         FROM customers c JOIN users b ON b.id = c.butler_id
         CROSS JOIN LATERAL (
           SELECT m.name, m.email FROM users m
            WHERE m.active AND (m.id = b.manager_id OR m.role = 'admin')
            ORDER BY (m.role = 'manager') DESC, m.created_at LIMIT 1) o
        WHERE c.id = $1`,
      [customerId],
    );
    return rows[0] ?? null;
  }

  // For each reassigned client: its external contact, both butlers' WeCom userids, whether the old
  // butler is still active, and how many of its transfers WeCom took on in the last 90 days.
  async transferCandidates(
    em: EntityManager,
    moves: { customerId: string; from: string; to: string }[],
    since: Date,
  ): Promise<TransferCandidateRow[]> {
    return em.query(
      `SELECT m.customer_id, c.external_user_id, f.wecom_user_id AS handover_user_id,
              t.wecom_user_id AS takeover_user_id, f.active AS from_active,
              (SELECT count(*)::int FROM wecom_transfers w
                WHERE w.customer_id = m.customer_id AND w.status IN ('waiting', 'succeeded')
                  AND w.requested_at > $4::timestamptz) AS recent
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS m(customer_id, from_id, to_id)
         JOIN customers c ON c.id = m.customer_id
         JOIN users f ON f.id = m.from_id
         JOIN users t ON t.id = m.to_id`,
      [moves.map((m) => m.customerId), moves.map((m) => m.from), moves.map((m) => m.to), since.toISOString()],
    );
  }

  // Transfers the actor may see (their clients, their team's, or all), newest first, a page.
  async transfers(
    actor: AuthUser,
    filter: { status?: TransferStatus; after?: [Date, string] },
    take: number,
  ): Promise<TransferRow[]> {
    const p = new SqlParams();
    const scope = p.fragment(scopeOf(actor).clients('c'));
    let extra = '';
    if (filter.status) extra += ` AND w.status = ${p.value(filter.status)}`;
    if (filter.after)
      extra += ` AND (w.created_at, w.id) < (${p.value(filter.after[0].toISOString())}::timestamptz,
                 ${p.value(filter.after[1])}::uuid)`;
    return this.dataSource.query(
      `SELECT w.id, w.customer_id, c.name AS customer_name, w.kind, w.from_butler_id, f.name AS from_butler_name,
              w.to_butler_id, t.name AS to_butler_name, w.status, w.reason, w.errcode, w.requested_at,
              w.takeover_at, w.created_at
         FROM wecom_transfers w JOIN customers c ON c.id = w.customer_id
         JOIN users f ON f.id = w.from_butler_id JOIN users t ON t.id = w.to_butler_id
        WHERE ${scope}${extra}
        ORDER BY w.created_at DESC, w.id DESC LIMIT ${p.value(take)}`,
      p.values,
    );
  }
}
