import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import { CaseSummaryWritten } from '@app/after-sales';
import { SurveyAnswered } from '@app/surveys';

import { CommentThemesService } from './comment-themes.service';

// Each comment is tagged as it is written: a case's summary in the case's own transaction, a
// survey answer's comment just after the answer committed (the nightly sweep tags any it missed).
@Injectable()
export class CommentThemesListener {
  private readonly logger = new Logger('CommentThemes');

  constructor(private readonly themes: CommentThemesService) {}

  @OnEvent(SurveyAnswered.event, { async: true, promisify: true })
  async onSurveyAnswered(e: SurveyAnswered): Promise<void> {
    if (!e.comment) return;
    const ref = {
      source: 'survey' as const,
      sourceId: e.responseId,
      customerId: e.customerId,
      butlerId: e.butlerId,
      commentedAt: e.respondedAt,
    };
    await this.themes.recordNew(ref, e.comment).catch((error: Error) => {
      this.logger.warn(`Survey response ${e.responseId}: comment not tagged now (${error.message}); the sweep will`);
    });
  }

  @OnEvent(CaseSummaryWritten.event, { suppressErrors: false })
  async onCaseSummary(e: CaseSummaryWritten): Promise<void> {
    const ref = {
      source: 'case' as const,
      sourceId: e.caseId,
      customerId: e.customerId,
      butlerId: e.butlerId,
      commentedAt: e.openedAt,
    };
    await this.themes.record(ref, e.summary, e.em);
  }
}
