import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { PurchaseEntity } from './entities/purchase.entity';

export interface NewPurchase {
  customerId: string;
  butlerId: string;
  orderRef: string;
  channel: string;
  purchasedAt: Date;
  totalFen: number;
}

// The purchases' SQL (docs/architecture.md, "Writing SQL").
@Injectable()
export class PurchasesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Inside the caller's transaction; the new id, or null when the order is already recorded.
  async insertIfNew(em: EntityManager, p: NewPurchase): Promise<string | null> {
    const inserted: { id: string }[] = await em.query(
      `INSERT INTO purchases (customer_id, butler_id, order_ref, channel, purchased_at, total_fen)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_ref) DO NOTHING RETURNING id`,
      [p.customerId, p.butlerId, p.orderRef, p.channel, p.purchasedAt, p.totalFen],
    );
    return inserted.length === 0 ? null : inserted[0].id;
  }

  // A client's purchases, newest first, keyset-paginated; `before` is the cursor's (at, id).
  async page(customerId: string, take: number, before?: [unknown, unknown]): Promise<PurchaseEntity[]> {
    const qb = this.dataSource
      .getRepository(PurchaseEntity)
      .createQueryBuilder('p')
      .where('p.customer_id = :customerId', { customerId });
    if (before) {
      const [at, id] = before;
      qb.andWhere('(p.purchased_at, p.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid))', { at, id });
    }
    return qb.orderBy('p.purchased_at', 'DESC').addOrderBy('p.id', 'DESC').take(take).getMany();
  }
}
