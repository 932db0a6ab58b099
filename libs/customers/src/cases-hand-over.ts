import type { EntityManager } from 'typeorm';

// Open after-sales cases move with their client, as open follow-ups do: a case is seen through
// its client's butler, and resolving it credits the case's butler with the contact (and its
// survey), so one left with the old butler would be worked by the new butler and scored to the
// old. Open and in-progress cases go to the client's new butler; resolved and closed ones keep
// who resolved them. Each move is in the audit log as a case assignment, as a manager's
// PATCH /cases/:id { butlerId } is. Call after the clients' butler_id changed, in that
// transaction. One statement, whatever the number of clients (an import moves thousands).
export async function handOverOpenCases(em: EntityManager, customerIds: string[], actorId: string): Promise<void> {
  if (customerIds.length === 0) return;
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
     SELECT $2, 'assign', 'case', id, jsonb_build_object('butlerId', jsonb_build_object('from', from_id, 'to', to_id), 'reason', 'client reassigned')
       FROM moved`,
    [customerIds, actorId],
  );
}
