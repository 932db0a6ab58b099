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
