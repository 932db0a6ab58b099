import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import { Clock } from '@app/common';
import { CustomerDeleted, CustomersReassigned, IN_TRANSACTION } from '@app/customers';

import { CasesRepository } from './cases.repository';

// After-sales cases follow their client (events from the customers library, in its transaction).
// Each change is in the audit log as the case's own routes record it. One statement each,
// whatever the number of clients (an import moves thousands).
@Injectable()
export class CasesCustomerChanges {
  constructor(
    private readonly clock: Clock,
    private readonly repository: CasesRepository,
  ) {}

  // Open cases move with their client, as open follow-ups do: a case is seen through its client's
  // butler, and resolving it credits the case's butler with the contact (and its survey), so one
  // left with the old butler would be worked by the new butler and scored to the old. Open and
  // in-progress cases go to the client's new butler; resolved and closed ones keep who resolved
  // them. Audited as a case assignment, as a manager's PATCH /cases/:id { butlerId } is.
  @OnEvent(CustomersReassigned.event, IN_TRANSACTION)
  async reassigned({ em, customerIds, actorId }: CustomersReassigned): Promise<void> {
    await this.repository.followClients(em, customerIds, actorId);
  }

  // A deleted client's cases that are not closed yet are closed, with a note on each one's
  // history saying why and an audit row as a status change (no survey: closing is not a
  // resolution). Closed at the app's Clock, as a closing through the case's own routes is.
  @OnEvent(CustomerDeleted.event, IN_TRANSACTION)
  async deleted({ em, customerId, actorId }: CustomerDeleted): Promise<void> {
    await this.repository.closeOfDeleted(em, customerId, actorId, this.clock.now());
  }
}
