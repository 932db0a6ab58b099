import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

import { AuditLogEntity } from './entities/audit-log.entity';

export interface AuditEntry {
  actorId: string | null;
  action: 'create' | 'update' | 'delete' | 'assign' | 'import' | 'probe' | 'escalate';
  entityType: string;
  entityId: string;
  changes?: Record<string, unknown>;
}

// Written in the caller's transaction, so an audit row exists exactly when the change does.
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditLogEntity) private readonly log: Repository<AuditLogEntity>) {}

  async record(em: EntityManager, entry: AuditEntry): Promise<void> {
    await em.insert(AuditLogEntity, {
      ...entry,
      changes: entry.changes ?? {},
    } as QueryDeepPartialEntity<AuditLogEntity>);
  }

  async forEntity(entityType: string, entityId: string, limit = 100): Promise<AuditLogEntity[]> {
    return this.log.find({ where: { entityType, entityId }, order: { createdAt: 'DESC' }, take: limit });
  }
}

// The fields that differ between two plain objects, as { field: { from, to } }.
export function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return changes;
}
