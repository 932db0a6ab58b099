import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import { Clock } from '@app/common';
import { CustomerDeleted, CustomersReassigned, IN_TRANSACTION } from '@app/customers';

// After-sales cases follow their client (events from the customers library, in its transaction).
// Each change is in the audit log as the case's own routes record it. One statement each,
// whatever the number of clients (an import moves thousands).
@Injectable()
export class CasesCustomerChanges {
  constructor(private readonly clock: Clock) {}

  // Open cases move with their client, as open follow-ups do: a case is seen through its client's
  // butler, and resolving it credits the case's butler with the contact (and its survey), so one
  // left with the old butler would be worked by the new butler and scored to the old. Open and
  // in-progress cases go to the client's new butler; resolved and closed ones keep who resolved
  // them. Audited as a case assignment, as a manager's PATCH /cases/:id { butlerId } is.
  @OnEvent(CustomersReassigned.event, IN_TRANSACTION)
  async reassigned({ em, customerIds, actorId }: CustomersReassigned): Promise<void> {
    await em.query(
      `WITH moving AS (
         SELECT k.id, k.butler_id AS from_id, c.butler_id AS to_id
           FROM cases k JOIN customers c ON c.id = k.customer_id
          WHERE c.id = ANY($1::uuid[]) AND k.status IN ('open', 'in_progress') AND k.butler_id <> c.butler_id
            FOR UPDATE OF k
       ), moved AS (
         UPDATE cases k SET butler_id = m.to_id, updated_at = now() FROM moving m WHERE k.id = m.id
         RETURNING k.id, m.from_id, m.to_id
       )
       INSERT INTO audit_log (actor_id, action, entity_type, entity_id, changes)
       SELECT $2, 'assign', 'case', id,
              jsonb_build_object('butlerId', jsonb_build_object('from', from_id, 'to', to_id),
                                 'reason', 'client reassigned')
         FROM moved`,
      [customerIds, actorId],
    );
  }

  // A deleted client's cases that are not closed yet are closed, with a note on each one's
  // history saying why and an audit row as a status change (no survey: closing is not a
  // resolution). Closed at the app's Clock, as a closing through the case's own routes is.
  @OnEvent(CustomerDeleted.event, IN_TRANSACTION)
  async deleted({ em, customerId, actorId }: CustomerDeleted): Promise<void> {
    await em.query(
      `WITH closing AS (
         UPDATE cases k SET status = 'closed', closed_at = $3, updated_at = now()
           FROM cases before WHERE before.id = k.id AND k.customer_id = $1 AND k.status <> 'closed'
         RETURNING k.id, before.status AS was
       ), noted AS (
         INSERT INTO case_notes (case_id, author_id, body, transition, created_at)
         SELECT id, $2, '客户已删除，工单随之关闭', was || '→closed', $3 FROM closing
       )
       INSERT INTO audit_log (actor_id, action, entity_type, entity_id, changes)
       SELECT $2, 'update', 'case', id,
              jsonb_build_object('status', jsonb_build_object('from', was, 'to', 'closed'), 'reason', 'client deleted')
         FROM closing`,
      [customerId, actorId, this.clock.now()],
    );
  }
}
