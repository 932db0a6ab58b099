import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { decodeCursor } from '@app/common';
import { InteractionEntity } from '@app/interactions';

// The contact log's SQL (docs/architecture.md, "Writing SQL"): reads only; the interactions library
// writes the table.
@Injectable()
export class ContactLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // One page of a client's contacts, newest first (keyset on occurred_at, id).
  async page(customerId: string, take: number, cursor?: string): Promise<InteractionEntity[]> {
    const qb = this.dataSource
      .getRepository(InteractionEntity)
      .createQueryBuilder('i')
      .where('i.customer_id = :customerId', { customerId });
    if (cursor) {
      const [at, id] = decodeCursor(cursor, ['timestamp', 'uuid']);
      qb.andWhere('(i.occurred_at, i.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid))', { at, id });
    }
    return qb.orderBy('i.occurred_at', 'DESC').addOrderBy('i.id', 'DESC').limit(take).getMany();
  }
}
