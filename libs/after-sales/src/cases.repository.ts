import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';

import { AuthUser, decodeCursor } from '@app/common';
import { CustomerAccessService } from '@app/customers';

import { ListCasesQueryDto } from './dto/case.dto';
import { CaseEntity } from './entities/case.entity';

// The cases' SQL (docs/architecture.md, "Writing SQL").
@Injectable()
export class CasesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CustomerAccessService,
  ) {}

  async visible(actor: AuthUser, id: string, em?: EntityManager): Promise<CaseEntity | null> {
    return this.scoped(actor, em).andWhere('k.id = :id', { id }).getOne();
  }

  // The case, locked for the caller's transaction.
  async lockVisible(em: EntityManager, actor: AuthUser, id: string): Promise<CaseEntity | null> {
    return this.scoped(actor, em)
      .andWhere('k.id = :id', { id })
      .setLock('pessimistic_write', undefined, ['k'])
      .getOne();
  }

  // One page of the list, newest opened first.
  async page(actor: AuthUser, query: ListCasesQueryDto, take: number): Promise<CaseEntity[]> {
    const qb = this.scoped(actor);
    if (query.status) qb.andWhere('k.status = :status', { status: query.status });
    if (query.customerId) qb.andWhere('k.customer_id = :customerId', { customerId: query.customerId });
    if (query.butlerId) qb.andWhere('k.butler_id = :butlerId', { butlerId: query.butlerId });
    if (query.type) qb.andWhere('k.type = :type', { type: query.type });
    if (query.priority) qb.andWhere('k.priority = :priority', { priority: query.priority });
    if (query.breached !== undefined)
      qb.andWhere(query.breached ? 'k.sla_breached_at IS NOT NULL' : 'k.sla_breached_at IS NULL');
    if (query.cursor) {
      const [at, cid] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      qb.andWhere('(k.opened_at, k.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))', {
        cursorAt: at,
        cursorId: cid,
      });
    }
    return qb.orderBy('k.opened_at', 'DESC').addOrderBy('k.id', 'DESC').limit(take).getMany();
  }

  // Whether the purchase is one of the client's (inside the caller's transaction).
  async clientPurchase(em: EntityManager, customerId: string, purchaseId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(`SELECT 1 FROM purchases WHERE id = $1 AND customer_id = $2`, [
      purchaseId,
      customerId,
    ]);
    return rows.length > 0;
  }

  // The SLA worker's mark: the first breach's time stays, the level only rises.
  async markSlaBreach(em: EntityManager, id: string, at: Date, level: number): Promise<void> {
    await em.query(
      `UPDATE cases SET sla_breached_at = COALESCE(sla_breached_at, $2), sla_level = GREATEST(sla_level, $3),
              updated_at = now()
        WHERE id = $1`,
      [id, at, level],
    );
  }

  // A reassigned client's open and in-progress cases go to the new butler, audited as assignments.
  async followClients(em: EntityManager, customerIds: string[], actorId: string): Promise<void> {
    await em.query(
      `WITH moving AS (
         SELECT k.id, k.butler_id AS from_id, c.butler_id AS to_id
           FROM cases k JOIN customers c ON c.id = k.customer_id
          WHERE c.id = ANY($1::uuid[]) AND k.status IN ('open', 'in_progress') AND k.butler_id <> c.butler_id
            FOR UPDATE OF k
       ), moved AS (
         UPDATE cases k SET butler_id = m.to_id, updated_at = now() FROM moving m WHERE k.id = m.id
         RETURNING k.id, m.from_id, m.to_id
       )
       INSERT INTO audit_log (actor_id, action, entity_type, entity_id, changes)
       SELECT $2, 'assign', 'case', id,
              jsonb_build_object('butlerId', jsonb_build_object('from', from_id, 'to', to_id),
                                 'reason', 'client reassigned')
         FROM moved`,
      [customerIds, actorId],
    );
  }

  // A deleted client's cases close, with a note and an audit row each.
  async closeOfDeleted(em: EntityManager, customerId: string, actorId: string, now: Date): Promise<void> {
    await em.query(
      `WITH closing AS (
         UPDATE cases k SET status = 'closed', closed_at = $3, updated_at = now()
           FROM cases before WHERE before.id = k.id AND k.customer_id = $1 AND k.status <> 'closed'
         RETURNING k.id, before.status AS was
       ), noted AS (
         INSERT INTO case_notes (case_id, author_id, body, transition, created_at)
         SELECT id, $2, '客户已删除，工单随之关闭', was || '→closed', $3 FROM closing
       )
       INSERT INTO audit_log (actor_id, action, entity_type, entity_id, changes)
       SELECT $2, 'update', 'case', id,
              jsonb_build_object('status', jsonb_build_object('from', was, 'to', 'closed'), 'reason', 'client deleted')
         FROM closing`,
      [customerId, actorId, now],
    );
  }

  private scoped(actor: AuthUser, em?: EntityManager): SelectQueryBuilder<CaseEntity> {
    const qb = (em ?? this.dataSource.manager)
      .getRepository(CaseEntity)
      .createQueryBuilder('k')
      .innerJoinAndSelect('k.customer', 'c');
    return this.access.applyScope(qb.where('TRUE'), actor, 'c');
  }
}
