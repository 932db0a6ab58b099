import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';

import { scopeOf } from '@app/access';
import { addDays, AuthUser, decodeCursor, shanghaiDay, shanghaiTime } from '@app/common';
import { SurveyResponseEntity } from '@app/surveys';

import { ListFollowUpsQueryDto } from './dto/follow-up.dto';
import { FollowUpEntity } from './entities/follow-up.entity';

export interface CadenceStepRow {
  customerId: string;
  butlerId: string;
  title: string;
  dueAt: Date;
  purchaseId: string;
  cadenceStep: string;
  createdAt: Date;
}

// The follow-ups' SQL (docs/architecture.md, "Writing SQL").
@Injectable()
export class FollowUpsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // One step of a purchase's cadence, inside the purchase's transaction; false when it exists.
  async insertCadenceStep(em: EntityManager, step: CadenceStepRow): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO follow_ups (customer_id, butler_id, kind, title, due_at, purchase_id, cadence_step, created_at)
         VALUES ($1, $2, 'post_purchase', $3, $4, $5, $6, $7)
         ON CONFLICT (purchase_id, cadence_step) WHERE purchase_id IS NOT NULL DO NOTHING RETURNING id`,
      [step.customerId, step.butlerId, step.title, step.dueAt, step.purchaseId, step.cadenceStep, step.createdAt],
    );
    return rows.length > 0;
  }

  async visible(actor: AuthUser, id: string): Promise<FollowUpEntity | null> {
    return this.scoped(actor).andWhere('f.id = :id', { id }).getOne();
  }

  // The follow-up, locked for the caller's transaction.
  async lockVisible(em: EntityManager, actor: AuthUser, id: string): Promise<FollowUpEntity | null> {
    return this.scoped(actor, em)
      .andWhere('f.id = :id', { id })
      .setLock('pessimistic_write', undefined, ['f'])
      .getOne();
  }

  // One page of the list, in due order; `now` places "today", "overdue" and "upcoming".
  async page(actor: AuthUser, query: ListFollowUpsQueryDto, now: Date, take: number): Promise<FollowUpEntity[]> {
    const qb = this.scoped(actor);
    if (query.status) qb.andWhere('f.status = :status', { status: query.status });
    if (query.butlerId) qb.andWhere('f.butler_id = :butlerId', { butlerId: query.butlerId });
    if (query.customerId) qb.andWhere('f.customer_id = :customerId', { customerId: query.customerId });
    if (query.kind) qb.andWhere('f.kind = :kind', { kind: query.kind });
    if (query.breached !== undefined)
      qb.andWhere(query.breached ? 'f.sla_breached_at IS NOT NULL' : 'f.sla_breached_at IS NULL');
    const today = shanghaiDay(now);
    switch (query.due) {
      case 'today':
        qb.andWhere('f.due_at >= :dayStart AND f.due_at < :dayEnd', {
          dayStart: shanghaiTime(today, 0),
          dayEnd: shanghaiTime(addDays(today, 1), 0),
        });
        break;
      case 'overdue':
        qb.andWhere(`f.status = 'open' AND f.due_at < :now`, { now });
        break;
      case 'upcoming':
        qb.andWhere(`f.status = 'open' AND f.due_at >= :now`, { now });
        break;
      case undefined:
        break;
    }
    if (query.cursor) {
      const [at, cid] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      qb.andWhere('(f.due_at, f.id) > (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))', {
        cursorAt: at,
        cursorId: cid,
      });
    }
    // limit, not take: the join is many-to-one, so rows are not multiplied.
    return qb.orderBy('f.due_at', 'ASC').addOrderBy('f.id', 'ASC').limit(take).getMany();
  }

  // A reassigned client's open follow-ups go to the new butler (recovery ones to the manager).
  async followClients(em: EntityManager, customerIds: string[], actorId: string): Promise<void> {
    const owner = `CASE WHEN f.kind = 'recovery' THEN COALESCE(b.manager_id, f.butler_id) ELSE c.butler_id END`;
    await em.query(
      `UPDATE follow_ups f SET butler_id = ${owner}, assigned_by = $2, updated_at = now()
         FROM customers c JOIN users b ON b.id = c.butler_id
        WHERE f.customer_id = c.id AND c.id = ANY($1::uuid[]) AND f.status = 'open' AND f.butler_id <> ${owner}`,
      [customerIds, actorId],
    );
  }

  // The SLA worker's mark: the first breach's time stays, the level only rises.
  async markSlaBreach(em: EntityManager, id: string, at: Date, level: number): Promise<void> {
    await em.query(
      `UPDATE follow_ups SET sla_breached_at = COALESCE(sla_breached_at, $2), sla_level = GREATEST(sla_level, $3),
              updated_at = now()
        WHERE id = $1`,
      [id, at, level],
    );
  }

  async cancelOpenOfDeleted(em: EntityManager, customerId: string): Promise<void> {
    await em.query(
      `UPDATE follow_ups SET status = 'cancelled', outcome = 'client_deleted', updated_at = now()
        WHERE customer_id = $1 AND status = 'open'`,
      [customerId],
    );
  }

  // The access policy's follow-up scope (@app/access): assigned to the caller (or their team, for a
  // manager) while the client is in the caller's team.
  private scoped(actor: AuthUser, em?: EntityManager): SelectQueryBuilder<FollowUpEntity> {
    const qb = (em ?? this.dataSource.manager)
      .getRepository(FollowUpEntity)
      .createQueryBuilder('f')
      .leftJoinAndSelect('f.customer', 'c')
      // A recovery task's low score, for the manager's card (reached through the follow-up's scope).
      .leftJoinAndMapOne('f.surveyResponse', SurveyResponseEntity, 'sr', 'sr.id = f.survey_response_id');
    const { sql, params } = scopeOf(actor).followUps('f', 'c').named();
    return qb.where(sql, params);
  }
}
