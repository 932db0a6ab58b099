import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { CustomersService } from '@app/customers';

import { InteractionEntity, InteractionKind } from './entities/interaction.entity';

export interface NewInteraction {
  customerId: string;
  // The butler who made the contact: surveys hang off this row and are attributed to them.
  butlerId: string;
  kind: InteractionKind;
  channel: string | null;
  outcome: string | null;
  summary: string;
  occurredAt: Date;
  followUpId?: string | null;
  caseId?: string | null;
  // Who logged it by hand (记一笔); none when a completed follow-up or a resolved case logs it.
  recordedBy?: string | null;
}

// The owner's write of the contact log (docs/architecture.md, "Tables and their owners"): follow-ups,
// after-sales and the contact log call it inside their own transaction. A contact that reached the
// client touches them (customers.last_touch_at) in the same transaction.
@Injectable()
export class InteractionsService {
  constructor(private readonly customers: CustomersService) {}

  async record(em: EntityManager, input: NewInteraction): Promise<InteractionEntity> {
    const saved = await em.save(
      em.create(InteractionEntity, {
        ...input,
        followUpId: input.followUpId ?? null,
        caseId: input.caseId ?? null,
        recordedBy: input.recordedBy ?? null,
      }),
    );
    if (input.outcome === 'reached') await this.customers.touch(em, input.customerId, input.occurredAt);
    return saved;
  }
}
