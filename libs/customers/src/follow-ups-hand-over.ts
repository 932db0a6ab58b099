import type { EntityManager } from 'typeorm';

// Open follow-ups move with their client: when clients change butler (assign, bulk assign,
// import), each open follow-up of theirs goes to the client's new butler, and a recovery
// follow-up (a manager's task) to the new butler's manager. Follow-ups are seen through their
// client's team, so one left with the old owner would be seen by nobody but an admin. Done and
// cancelled ones keep who did them. Call after the clients' butler_id changed, in that transaction.
export async function handOverOpenFollowUps(em: EntityManager, customerIds: string[], actorId: string): Promise<void> {
  if (customerIds.length === 0) return;
  const owner = `CASE WHEN f.kind = 'recovery' THEN COALESCE(b.manager_id, f.butler_id) ELSE c.butler_id END`;
  await em.query(
    `UPDATE follow_ups f SET butler_id = ${owner}, assigned_by = $2, updated_at = now()
       FROM customers c JOIN users b ON b.id = c.butler_id
      WHERE f.customer_id = c.id AND c.id = ANY($1::uuid[]) AND f.status = 'open' AND f.butler_id <> ${owner}`,
    [customerIds, actorId],
  );
}
