import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { scopeOf } from '@app/access';
import { AuditService } from '@app/audit';
import { AppError, AuthUser, Clock } from '@app/common';
import { CustomerAccessService } from '@app/customers';
import { reportPeriod } from '@app/reports';

import { CommentRef, CommentThemesRepository } from './comment-themes.repository';
import type {
  AnalyzeCommentsResultDto,
  CorrectedThemesDto,
  ThemeCountsDto,
  ThemeCountsQueryDto,
} from './dto/comment-themes.dto';
import { TaggedTheme, ThemeTagger } from './theme-tagger';

// Comments tagged per pass of the nightly sweep (each source), and passes per run at most.
const SWEEP_BATCH = 1_000;
const SWEEP_MAX_BATCHES = 100;

// The themes of clients' comments. One tagger per process, made on first use: loading jieba's
// dictionary takes about a second, which an API or worker that never tags a comment (and every
// test app) should not pay.
@Injectable()
export class CommentThemesService {
  private readonly logger = new Logger('CommentThemes');
  private tagger: ThemeTagger | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: CommentThemesRepository,
    private readonly access: CustomerAccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  tag(text: string): TaggedTheme[] {
    this.tagger ??= new ThemeTagger();
    return this.tagger.tag(text);
  }

  analyze(texts: string[]): AnalyzeCommentsResultDto {
    return { items: texts.map((text) => ({ themes: this.tag(text) })) };
  }

  // Tags a comment and stores its themes (in the caller's transaction when given one).
  async record(ref: CommentRef, text: string, em: Parameters<CommentThemesRepository['replace']>[0] = null) {
    return this.repository.replace(em, ref, this.tag(text));
  }

  // A survey answer's comment, just after the answer committed.
  async recordNew(ref: CommentRef, text: string): Promise<void> {
    await this.repository.insertNew(ref, this.tag(text));
  }

  // Every comment not tagged yet (nightly, and after an upgrade: the comments made before).
  async sweep(): Promise<number> {
    let tagged = 0;
    for (let pass = 0; pass < SWEEP_MAX_BATCHES; pass++) {
      const batch = await this.repository.untagged(SWEEP_BATCH);
      if (batch.length === 0) break;
      await this.dataSource.transaction(async (em) => {
        for (const { text, ...ref } of batch) await this.repository.replace(em, ref, this.tag(text));
      });
      tagged += batch.length;
    }
    if (tagged) this.logger.log(`Tagged ${tagged} comment(s) the answers' own tagging missed`);
    return tagged;
  }

  // What the comments of the period say, by theme (and butler or team), with example quotes.
  async counts(actor: AuthUser, query: ThemeCountsQueryDto): Promise<ThemeCountsDto> {
    const { from, to } = reportPeriod(query, this.clock.now(), 29);
    const groupBy = query.groupBy ?? 'none';
    const scope = scopeOf(actor);
    const [counts, quotes] = await Promise.all([
      this.repository.counts(scope, from, to, groupBy),
      this.repository.quotes(scope, from, to, groupBy),
    ]);
    return {
      from,
      to,
      groupBy,
      items: counts.map((row) => ({
        groupId: row.group_id,
        groupName: row.group_name,
        theme: row.theme,
        positive: row.positive,
        negative: row.negative,
        neutral: row.neutral,
        total: row.total,
        quotes: quotes
          .filter((q) => q.group_id === row.group_id && q.theme === row.theme)
          .map((q) => ({
            polarity: q.polarity,
            source: q.source,
            sourceId: q.source_id,
            text: q.text,
            at: q.commented_at.toISOString(),
            corrected: q.corrected,
            themes: q.themes,
          })),
      })),
    };
  }

  // A manager's (or an admin's) correction of a comment's themes, kept: the tagger never
  // overwrites it. Only for a comment about a client the actor sees; audited.
  async correct(actor: AuthUser, commentId: string, themes: TaggedTheme[]): Promise<CorrectedThemesDto> {
    const keys = themes.map((t) => t.key);
    if (new Set(keys).size !== keys.length || (keys.includes('other') && keys.length > 1))
      throw AppError.invalid({
        field: 'themes',
        code: 'distinctThemes',
        message: 'each theme at most once, and other only alone',
      });
    return this.dataSource.transaction(async (em) => {
      const comment = await this.repository.comment(em, commentId);
      if (!comment) throw AppError.notFound('Comment');
      const { source, sourceId } = comment;
      await this.access.findVisible(actor, comment.customerId, em).catch(() => {
        throw AppError.notFound('Comment');
      });
      const before = await this.repository.themesOf(em, source, sourceId);
      await this.repository.correct(em, comment, themes, actor.id, this.clock.now());
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'update',
        entityType: 'comment_themes',
        entityId: sourceId,
        changes: { source, themes: { from: before, to: themes } },
      });
      return { source, sourceId, themes: await this.repository.themesOf(em, source, sourceId), corrected: true };
    });
  }
}
