import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { AppError, AuthUser } from '@app/common';
import { AppConfig } from '@app/config';
import { LimitsRedis } from '@app/queue';

import { AuditLogEntity } from './entities/audit-log.entity';

export type ProbeKind = 'customer.mobile' | 'purchase.orderRef' | 'import.mobile';

// Thrown inside a transaction when the answer would be about another team's record; the caller
// settles it after the transaction (ExistenceProbes.settle), so the audit row is written on a
// connection of its own only once the transaction's is back in the pool.
export class OutsideTeamAnswer extends Error {
  constructor(
    readonly kind: ProbeKind,
    readonly entityType: string,
    readonly entityId: string,
    readonly answer: AppError,
  ) {
    super(answer.message);
  }
}

const WINDOW_MS = 60 * 60_000;

// Uniqueness across teams answers "this exists" about records the caller may not see: a 409 for
// a mobile or orderRef another team holds, an import row "outside your team". The uniqueness
// stays (two teams must not own one client); each such answer is audited (who asked about which
// record) and counted per user, and past EXISTENCE_PROBE_LIMIT an hour the user gets a 429 instead,
// so a butler cannot sweep the mobile space to map another team's book.
@Injectable()
export class ExistenceProbes {
  constructor(
    @InjectRepository(AuditLogEntity) private readonly log: Repository<AuditLogEntity>,
    private readonly limits: LimitsRedis,
    private readonly config: AppConfig,
  ) {}

  // Before answering about another team's record: refuses once the user's hourly budget is spent.
  async allow(actor: AuthUser): Promise<void> {
    if ((await this.limits.count(this.key(actor))) >= this.config.auth.EXISTENCE_PROBE_LIMIT) {
      throw new AppError('too_many', 'Too many answers about records outside your team this hour, try again later', {
        code: 'PROBE_LIMIT',
      });
    }
  }

  // For a transaction's failure: an answer about another team's record is allowed (or refused with
  // a 429), recorded, and then given; any other error passes through.
  async settle(actor: AuthUser, error: unknown): Promise<never> {
    if (!(error instanceof OutsideTeamAnswer)) throw error;
    await this.allow(actor);
    await this.note(actor, error.kind, error.entityType, error.entityId);
    throw error.answer;
  }

  // Records the answer given (in its own statement: the caller's transaction is about to fail).
  async note(actor: AuthUser, kind: ProbeKind, entityType: string, entityId: string, count = 1): Promise<void> {
    await this.log.insert({ actorId: actor.id, action: 'probe', entityType, entityId, changes: { kind, count } });
    await this.limits.add(this.key(actor), WINDOW_MS, count);
  }

  private key(actor: AuthUser): string {
    return `probe:${actor.id}`;
  }
}
