import { Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';

import { AppError, AuthUser } from '@app/common';

import { CustomersRepository } from './customers.repository';
import { CustomerEntity } from './entities/customer.entity';

// Loads clients and everything hanging off them (purchases, metrics, timeline, cases…) through
// the access policy (@app/access): anything out of the caller's reach is "not found".
@Injectable()
export class CustomerAccessService {
  constructor(private readonly repository: CustomersRepository) {}

  applyScope<T extends object>(qb: SelectQueryBuilder<T>, actor: AuthUser, alias: string): SelectQueryBuilder<T> {
    return this.repository.applyScope(qb, actor, alias);
  }

  async findVisible(actor: AuthUser, id: string, em?: EntityManager, lock = false): Promise<CustomerEntity> {
    const customer =
      !em && !lock ? await this.repository.visibleRow(actor, id) : await this.repository.visible(actor, id, em, lock);
    if (!customer) throw AppError.notFound('Customer');
    return customer;
  }

  // Inside a transaction, pass its manager: a second connection from the pool while the
  // transaction holds one can starve the pool under load.
  async canSee(actor: AuthUser, id: string, em?: EntityManager): Promise<boolean> {
    return this.repository.canSee(actor, id, em);
  }
}
