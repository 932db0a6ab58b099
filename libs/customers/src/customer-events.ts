import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';

// What happens to clients that other features follow: their open follow-ups and after-sales
// cases move with a reassigned client and end with a deleted one. The customers library emits
// them inside the transaction that made the change; each listener gets that EntityManager, writes
// only its own tables, and runs before the commit, so a listener that fails rolls the whole
// change back. Listeners: @OnEvent(CustomersReassigned.event, IN_TRANSACTION).

// A client's move from one butler to another.
export interface ClientMove {
  customerId: string;
  from: string;
  to: string;
}

// Clients whose butler_id changed (assign, bulk assign, import), after the change; `moves` says
// from whom to whom (the WeCom hand-over needs both butlers).
export class CustomersReassigned {
  static readonly event = 'customers.reassigned';
  constructor(
    readonly em: EntityManager,
    readonly customerIds: string[],
    readonly actorId: string,
    readonly moves: ClientMove[] = [],
  ) {}
}

// A client soft-deleted by an actor, after the delete.
export class CustomerDeleted {
  static readonly event = 'customer.deleted';
  constructor(
    readonly em: EntityManager,
    readonly customerId: string,
    readonly actorId: string,
  ) {}
}

export type CustomerEvent = CustomersReassigned | CustomerDeleted;

// A listener's error reaches the emitter (and rolls its transaction back).
export const IN_TRANSACTION = { suppressErrors: false } as const;

// Runs every listener of the event and waits for them all.
export async function emitInTransaction(events: EventEmitter2, event: CustomerEvent): Promise<void> {
  if (event instanceof CustomersReassigned && event.customerIds.length === 0) return;
  await events.emitAsync((event.constructor as typeof CustomersReassigned | typeof CustomerDeleted).event, event);
}
