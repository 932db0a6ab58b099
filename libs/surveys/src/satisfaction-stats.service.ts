import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import type { ServqualDimension } from './entities/survey-response.entity';
import type { SatisfactionKind } from './satisfaction-stats';
import { SegmentCuts } from './segment-cuts.service';
import { SurveysRepository } from './surveys.repository';

// The one way into the satisfaction summary by client group (satisfaction_stats, docs/segments.md),
// for every writer of survey invitations and answers. Call it in the transaction that sends the
// invitation or records the answer, passing its EntityManager, so the summary and the raw rows
// commit together. (Transactional answers are recorded by the ResponseBatcher's one statement,
// which adds them itself with the same SQL.)
@Injectable()
export class SatisfactionStatsService {
  constructor(
    private readonly repository: SurveysRepository,
    private readonly cuts: SegmentCuts,
  ) {}

  // An invitation just sent (its `sent_at` and channel), counted under its client's groups as they are now.
  async addInvitation(
    em: EntityManager,
    invitation: { id: string; sentAt: Date; channel: string; kind: SatisfactionKind },
  ): Promise<void> {
    await this.repository.addInvitationToSatisfaction(em, invitation, await this.cuts.get());
  }

  // Answers just inserted into survey_responses (by id), counted under `kind` with their client's
  // groups as they are now. A relationship answer passes its SERVQUAL expectations (1–5 per
  // dimension; the perceptions are the response's own columns), so the report gives P − E per
  // dimension; a transactional one passes none.
  async addResponses(
    em: EntityManager,
    kind: SatisfactionKind,
    responses: { id: string; expectations?: Partial<Record<ServqualDimension, number | null>> }[],
  ): Promise<void> {
    await this.repository.addResponsesToSatisfaction(
      em,
      kind,
      responses.map((r) => ({ id: r.id, expectations: r.expectations ?? {} })),
      await this.cuts.get(),
    );
  }
}
