import { ApiError, http, Page } from '../../api/client';
import type { Customer } from '../../api/customers';
import type { Schema } from '../../api/types';
import { errorText } from '../../components/formErrors';

// Follow-ups and client reassignment as the manager pages use them (libs/follow-ups,
// libs/customers).

export type FollowUp = Schema<'FollowUpDto'>;
export type FollowUpKind = FollowUp['kind'];
export type DueFilter = 'today' | 'overdue' | 'upcoming';

export type CreateFollowUpBody = Schema<'CreateFollowUpDto'>;
export type UpdateFollowUpBody = Schema<'UpdateFollowUpDto'>;

export const followUpsApi = {
  list: (query: { butlerId?: string; due?: DueFilter; cursor?: string }) =>
    http.get<Page<FollowUp>>('/follow-ups', { status: 'open', limit: 50, ...query }),
  update: (id: string, body: UpdateFollowUpBody) => http.patch<FollowUp>(`/follow-ups/${id}`, body),
  create: (body: CreateFollowUpBody) => http.post<FollowUp>('/follow-ups', body),
};

export const customersApi = {
  list: (query: { butlerId?: string; q?: string; cursor?: string }) =>
    http.get<Page<Customer>>('/customers', { limit: 50, ...query }),
};

export interface Outcome {
  ok: number;
  failed: number;
  // The first failure's reason, for the message.
  reason?: string;
}

// Runs one request per item, a few at a time, and counts what worked.
export async function eachLimited<T>(items: T[], run: (item: T) => Promise<unknown>, lanes = 4): Promise<Outcome> {
  const outcome: Outcome = { ok: 0, failed: 0 };
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await run(item);
        outcome.ok++;
      } catch (error) {
        outcome.failed++;
        outcome.reason ??= errorText(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return outcome;
}

const BULK_MAX = 500;

// POST /customers/bulk-assign (≤500 ids per call); where the API has no bulk route yet (404),
// one POST /customers/:id/assign per client.
export async function assignCustomers(customerIds: string[], butlerId: string): Promise<Outcome> {
  const outcome: Outcome = { ok: 0, failed: 0 };
  for (let i = 0; i < customerIds.length; i += BULK_MAX) {
    const chunk = customerIds.slice(i, i + BULK_MAX);
    try {
      const res = await http.post<Schema<'BulkAssignResultDto'>>('/customers/bulk-assign', {
        customerIds: chunk,
        butlerId,
      } satisfies Schema<'BulkAssignCustomersDto'>);
      outcome.ok += res.assigned;
      outcome.failed += chunk.length - res.assigned;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      const one = await eachLimited(chunk, (id) =>
        http.post(`/customers/${id}/assign`, { butlerId } satisfies Schema<'AssignCustomerDto'>),
      );
      outcome.ok += one.ok;
      outcome.failed += one.failed;
      outcome.reason ??= one.reason;
    }
  }
  return outcome;
}
