import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import { CustomerDeleted, CustomersReassigned, IN_TRANSACTION } from '@app/customers';

import { FollowUpsRepository } from './follow-ups.repository';

// Follow-ups follow their client (events from the customers library, in its transaction).
@Injectable()
export class FollowUpsCustomerChanges {
  constructor(private readonly repository: FollowUpsRepository) {}

  // Open follow-ups move with their client: each open follow-up of a reassigned client goes to
  // the client's new butler, and a recovery follow-up (a manager's task) to the new butler's
  // manager. Follow-ups are seen through their client's team, so one left with the old owner
  // would be seen by nobody but an admin. Done and cancelled ones keep who did them.
  @OnEvent(CustomersReassigned.event, IN_TRANSACTION)
  async reassigned({ em, customerIds, actorId }: CustomersReassigned): Promise<void> {
    await this.repository.followClients(em, customerIds, actorId);
  }

  // Nobody can reach a deleted client's follow-ups any more: left open they would stay due for
  // ever (and count as overdue). Done ones keep their history.
  @OnEvent(CustomerDeleted.event, IN_TRANSACTION)
  async deleted({ em, customerId }: CustomerDeleted): Promise<void> {
    await this.repository.cancelOpenOfDeleted(em, customerId);
  }
}
