import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import { CustomerDeleted, CustomersReassigned, IN_TRANSACTION } from '@app/customers';

// Follow-ups follow their client (events from the customers library, in its transaction).
@Injectable()
export class FollowUpsCustomerChanges {
  // Open follow-ups move with their client: each open follow-up of a reassigned client goes to
  // the client's new butler, and a recovery follow-up (a manager's task) to the new butler's
  // manager. Follow-ups are seen through their client's team, so one left with the old owner
  // would be seen by nobody but an admin. Done and cancelled ones keep who did them.
  @OnEvent(CustomersReassigned.event, IN_TRANSACTION)
  async reassigned({ em, customerIds, actorId }: CustomersReassigned): Promise<void> {
    const owner = `CASE WHEN f.kind = 'recovery' THEN COALESCE(b.manager_id, f.butler_id) ELSE c.butler_id END`;
    await em.query(
      `UPDATE follow_ups f SET butler_id = ${owner}, assigned_by = $2, updated_at = now()
         FROM customers c JOIN users b ON b.id = c.butler_id
        WHERE f.customer_id = c.id AND c.id = ANY($1::uuid[]) AND f.status = 'open' AND f.butler_id <> ${owner}`,
      [customerIds, actorId],
    );
  }

  // Nobody can reach a deleted client's follow-ups any more: left open they would stay due for
  // ever (and count as overdue). Done ones keep their history.
  @OnEvent(CustomerDeleted.event, IN_TRANSACTION)
  async deleted({ em, customerId }: CustomerDeleted): Promise<void> {
    await em.query(
      `UPDATE follow_ups SET status = 'cancelled', outcome = 'client_deleted', updated_at = now()
        WHERE customer_id = $1 AND status = 'open'`,
      [customerId],
    );
  }
}
