import type { EntityManager } from 'typeorm';

// A case's summary written (the case opened, or its summary edited), inside the transaction that
// wrote it: the comment's themes follow it (libs/comment-themes), before the commit.
export class CaseSummaryWritten {
  static readonly event = 'case.summary-written';
  constructor(
    readonly em: EntityManager,
    readonly caseId: string,
    readonly customerId: string,
    readonly butlerId: string,
    readonly summary: string,
    readonly openedAt: Date,
  ) {}
}

export const CASE_CHANGES = ['opened', 'updated', 'status'] as const;
export type CaseChange = (typeof CASE_CHANGES)[number];

// A case opened, edited or moved to another status, inside the transaction that changed it, after
// the change: outbound webhooks (libs/webhooks) record their case.changed deliveries in it, so a
// change and its deliveries commit together or not at all.
export class CaseChanged {
  static readonly event = 'case.changed';
  constructor(
    readonly em: EntityManager,
    readonly caseId: string,
    readonly change: CaseChange,
    // The status before a status change; null otherwise.
    readonly previousStatus: string | null,
    readonly at: Date,
  ) {}
}
