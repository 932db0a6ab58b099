import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';

import { scopeOf } from '@app/access';
import { AuthUser } from '@app/common';

import { Role, UserEntity } from './entities/user.entity';

export interface UserFilters {
  role?: Role;
  managerId?: string;
}

// What a butler still holds, counted on clients that are not deleted.
export interface ButlerBook {
  clients: number;
  follow_ups: number;
  cases: number;
}

// The users library's SQL (docs/architecture.md, "Writing SQL").
@Injectable()
export class UsersRepository {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  // The access policy (@app/access): admins see everyone; a manager their team and themselves; a
  // butler only themselves.
  private visibleTo(actor: AuthUser) {
    const { sql, params } = scopeOf(actor).users('u').named();
    return this.users.createQueryBuilder('u').where(sql, params);
  }

  async list(actor: AuthUser, filters: UserFilters): Promise<UserEntity[]> {
    const qb = this.visibleTo(actor);
    if (filters.role) qb.andWhere('u.role = :role', { role: filters.role });
    if (filters.managerId) qb.andWhere('u.managerId = :managerId', { managerId: filters.managerId });
    return qb.orderBy('u.name', 'ASC').addOrderBy('u.id', 'ASC').take(1000).getMany();
  }

  async visible(actor: AuthUser, id: string): Promise<UserEntity | null> {
    return this.visibleTo(actor).andWhere('u.id = :id', { id }).getOne();
  }

  // Serialises the first admin's creation across processes (inside the caller's transaction).
  async lockBootstrap(em: EntityManager, key: number): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock($1)', [key]);
  }

  async butlerBook(butlerId: string): Promise<ButlerBook> {
    const [left]: ButlerBook[] = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM customers WHERE butler_id = $1 AND deleted_at IS NULL)::int AS clients,
              (SELECT count(*) FROM follow_ups f JOIN customers c ON c.id = f.customer_id AND c.deleted_at IS NULL
                WHERE f.butler_id = $1 AND f.status = 'open')::int AS follow_ups,
              (SELECT count(*) FROM cases k JOIN customers c ON c.id = k.customer_id AND c.deleted_at IS NULL
                WHERE k.butler_id = $1 AND k.status IN ('open', 'in_progress'))::int AS cases`,
      [butlerId],
    );
    return left;
  }

  // The one read that needs the password hash (a column not selected by default).
  async withPasswordHash(email: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').addSelect('u.passwordHash').where('u.email = :email', { email }).getOne();
  }

  async otherActiveAdmins(id: string): Promise<number> {
    return this.users.createQueryBuilder('u').where(`u.role = 'admin' AND u.active AND u.id <> :id`, { id }).getCount();
  }
}
