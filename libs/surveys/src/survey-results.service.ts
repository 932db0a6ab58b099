import { Injectable } from '@nestjs/common';

import { scopeOf } from '@app/access';
import { AuthUser, decodeCursor, Page, pageOf, pageSize } from '@app/common';

import { ListSurveyResultsQueryDto, SurveyResultDto } from './dto/survey-result.dto';
import { SurveysRepository } from './surveys.repository';

// Survey answers, newest first, of the clients the caller may see now: a butler their own
// clients', a manager their team's, an admin all (the access rule every client route uses). A
// client moved to another team (or deleted) takes its answers along: name, scores and comment are
// the client's. The reports keep attributing the figures to the butler who made the contact
// (frozen), without names or comments.
@Injectable()
export class SurveyResultsService {
  constructor(private readonly repository: SurveysRepository) {}

  async list(actor: AuthUser, query: ListSurveyResultsQueryDto): Promise<Page<SurveyResultDto>> {
    const limit = pageSize(query.limit);
    const rows = await this.repository.resultsPage(
      scopeOf(actor),
      {
        butlerId: query.butlerId,
        customerId: query.customerId,
        detractor: query.detractor,
        before: query.cursor ? (decodeCursor(query.cursor, ['timestamp', 'uuid']) as [unknown, unknown]) : undefined,
      },
      limit + 1,
    );
    const { rows: page, nextCursor } = pageOf(rows, limit, (last) => [last.responded_at.toISOString(), last.id]);
    return {
      items: page.map((r) => ({
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
      })),
      nextCursor,
    };
  }
}
