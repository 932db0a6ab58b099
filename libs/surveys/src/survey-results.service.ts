import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { scopeOf } from '@app/access';
import { AuditService } from '@app/audit';
import { AppError, AuthUser, Clock, decodeCursor, Page, pageOf, pageSize } from '@app/common';
import { CustomerAccessService } from '@app/customers';

import {
  ClearFlagDto,
  IntegrityDto,
  ListSurveyResultsQueryDto,
  ResultThemeDto,
  SurveyResultDto,
} from './dto/survey-result.dto';
import { describeReason } from './integrity';
import { SatisfactionStatsService } from './satisfaction-stats.service';
import { ResultRow, SurveysRepository } from './surveys.repository';

// Survey answers, newest first, of the clients the caller may see now: a butler their own
// clients', a manager their team's, an admin all (the access rule every client route uses). A
// client moved to another team (or deleted) takes its answers along: name, scores and comment are
// the client's. The reports keep attributing the figures to the butler who made the contact
// (frozen), without names or comments.
@Injectable()
export class SurveyResultsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: SurveysRepository,
    private readonly access: CustomerAccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly satisfaction: SatisfactionStatsService,
  ) {}

  async list(actor: AuthUser, query: ListSurveyResultsQueryDto): Promise<Page<SurveyResultDto>> {
    const limit = pageSize(query.limit);
    const rows = await this.repository.resultsPage(
      scopeOf(actor),
      {
        butlerId: query.butlerId,
        customerId: query.customerId,
        detractor: query.detractor,
        // A butler is not told which of his answers are held out, nor why (docs/rating-integrity.md).
        flagged: actor.role === 'butler' ? undefined : query.flagged,
        theme: query.theme,
        polarity: query.polarity,
        before: query.cursor ? (decodeCursor(query.cursor, ['timestamp', 'uuid']) as [unknown, unknown]) : undefined,
      },
      limit + 1,
    );
    const { rows: page, nextCursor } = pageOf(rows, limit, (last) => [last.responded_at.toISOString(), last.id]);
    return { items: page.map((r) => mapResult(r, actor.role !== 'butler')), nextCursor };
  }

  // A manager (of the client's team) or an admin trusts a flagged answer after all: it counts in the
  // butler's figures again, the reasons stay, and the audit log keeps who, when and why. Nobody
  // clears a flag on an answer about themselves.
  async clearFlag(actor: AuthUser, id: string, dto: ClearFlagDto): Promise<SurveyResultDto> {
    await this.dataSource.transaction(async (em) => {
      const response = await this.repository.lockResponse(em, id);
      if (!response) throw notFound();
      // Out of reach is 404, as for the client itself.
      await this.access.findVisible(actor, response.customer_id, em).catch((error: unknown) => {
        throw error instanceof AppError && error.kind === 'not_found' ? notFound() : error;
      });
      if (response.butler_id === actor.id)
        throw new AppError('forbidden', 'A flag on an answer about yourself is cleared by someone else', {
          code: 'INTEGRITY_SELF_CLEAR',
        });
      if (!response.flagged)
        throw new AppError('conflict', 'This answer is not flagged', { code: 'INTEGRITY_NOT_FLAGGED' });
      await this.repository.clearFlag(em, id, actor.id, this.clock.now(), dto.note.trim());
      // Held out of the summary by client group while flagged: it joins it now, as the butler's day.
      await this.satisfaction.addResponses(em, 'transactional', [{ id }]);
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'update',
        entityType: 'survey_response',
        entityId: id,
        changes: {
          flagged: { from: true, to: false },
          reasons: response.integrity_reasons.map((r) => r.code),
          note: dto.note.trim(),
        },
      });
    });
    const [row] = await this.repository.resultsPage(scopeOf(actor), { responseId: id }, 1);
    return mapResult(row, true);
  }
}

function notFound(): AppError {
  return new AppError('not_found', 'Survey response not found', { code: 'SURVEY_RESPONSE_NOT_FOUND' });
}

function mapResult(r: ResultRow, withIntegrity: boolean): SurveyResultDto {
  const integrity: IntegrityDto = {
    flagged: r.flagged,
    reasons: r.integrity_reasons.map((reason) => ({ code: reason.code, text: describeReason(reason) })),
    clearedAt: r.flag_cleared_at?.toISOString() ?? null,
    clearedByName: r.flag_cleared_by_name,
    clearNote: r.flag_clear_note,
  };
  return {
    id: r.id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    butlerId: r.butler_id,
    butlerName: r.butler_name,
    csat: r.csat,
    nps: r.nps,
    servqual: {
      reliability: r.reliability,
      responsiveness: r.responsiveness,
      assurance: r.assurance,
      empathy: r.empathy,
      tangibles: r.tangibles,
    },
    comment: r.comment,
    respondedAt: r.responded_at.toISOString(),
    source: r.source,
    channel: r.channel,
    themes: (r.themes ?? []) as ResultThemeDto[],
    integrity: withIntegrity ? integrity : null,
  };
}
