import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { UserEntity } from './entities/user.entity';

const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

// Every request needs "is this user still active, and what is their role and team". Reading it
// from PostgreSQL each time doubled the round trips of a simple read, so it is kept for a few
// seconds. Changes made through this process apply at once (invalidate); other processes see
// them within TTL_MS.
@Injectable()
export class ActiveUserCache {
  private readonly entries = new Map<string, { user: UserEntity | null; at: number }>();

  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async get(id: string): Promise<UserEntity | null> {
    const hit = this.entries.get(id);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.user;
    const user = await this.users.findOne({ where: { id, active: true } });
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(id, { user, at: Date.now() });
    return user;
  }

  invalidate(id: string): void {
    this.entries.delete(id);
  }
}
