import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { Scope } from '@app/access';
import { shanghaiDayStartSql, SqlParams } from '@app/common';

import type { CommentSource } from './entities/comment-theme.entity';
import type { Polarity, Theme } from './lexicon';
import type { TaggedTheme } from './theme-tagger';

export interface CommentRef {
  source: CommentSource;
  sourceId: string;
  customerId: string;
  butlerId: string | null;
  commentedAt: Date;
}

export interface UntaggedComment extends CommentRef {
  text: string;
}

export const THEME_GROUPS = ['none', 'butler', 'team'] as const;
export type ThemeGroup = (typeof THEME_GROUPS)[number];

export interface ThemeCountRow {
  group_id: string | null;
  group_name: string | null;
  theme: Theme;
  positive: number;
  negative: number;
  neutral: number;
  total: number;
}

export interface ThemeQuoteRow {
  group_id: string | null;
  theme: Theme;
  polarity: Polarity;
  source: CommentSource;
  source_id: string;
  text: string;
  commented_at: Date;
  corrected: boolean;
  // All the comment's themes (what a correction starts from).
  themes: { key: Theme; polarity: Polarity }[];
}

// The group a theme row counts in: its frozen butler, or that butler's team (its manager; a
// manager's own comments count in their team).
const GROUP_SQL: Record<ThemeGroup, { id: string; name: string }> = {
  none: { id: 'NULL::uuid', name: 'NULL::text' },
  butler: { id: 'u.id', name: 'u.name' },
  team: {
    id: 'coalesce(u.manager_id, u.id)',
    name: '(SELECT m.name FROM users m WHERE m.id = coalesce(u.manager_id, u.id))',
  },
};
// Writes a comment's themes only if it has none (a new survey answer's, written once).
const NONE_YET = 'WHERE NOT EXISTS (SELECT 1 FROM comment_themes t WHERE t.source = $1 AND t.source_id = $2)';
// Example quotes per group and theme.
const QUOTES = 2;

// The comments' themes (owner: this library).
@Injectable()
export class CommentThemesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // A comment's themes as the tagger read them, replacing what it read before. A comment a
  // manager corrected keeps the correction (nothing written; false).
  async replace(em: EntityManager | null, ref: CommentRef, themes: TaggedTheme[]): Promise<boolean> {
    const run = async (m: EntityManager): Promise<boolean> => {
      const [corrected] = (await m.query(
        `SELECT 1 FROM comment_themes WHERE source = $1 AND source_id = $2 AND corrected_by IS NOT NULL LIMIT 1`,
        [ref.source, ref.sourceId],
      )) as unknown[];
      if (corrected) return false;
      await m.query(`DELETE FROM comment_themes WHERE source = $1 AND source_id = $2`, [ref.source, ref.sourceId]);
      await this.insert(m, ref, themes, null);
      return true;
    };
    return em ? run(em) : this.dataSource.transaction(run);
  }

  // A new comment's themes, in one statement (nothing to replace or keep: it was just written).
  async insertNew(ref: CommentRef, themes: TaggedTheme[]): Promise<void> {
    await this.insert(this.dataSource.manager, ref, themes, null, true);
  }

  // A manager's correction: the comment's themes become these, marked as theirs.
  async correct(em: EntityManager, ref: CommentRef, themes: TaggedTheme[], actorId: string, at: Date): Promise<void> {
    await em.query(`DELETE FROM comment_themes WHERE source = $1 AND source_id = $2`, [ref.source, ref.sourceId]);
    await this.insert(em, ref, themes, { actorId, at });
  }

  // The comment a survey response or a case is (by its id), as its themes record it.
  async comment(em: EntityManager, id: string): Promise<CommentRef | null> {
    const [row] = (await em.query(
      `SELECT 'survey' AS source, id AS "sourceId", customer_id AS "customerId", butler_id AS "butlerId",
              responded_at AS "commentedAt"
         FROM survey_responses WHERE id = $1
       UNION ALL
       SELECT 'case', id, customer_id, butler_id, opened_at FROM cases WHERE id = $1`,
      [id],
    )) as CommentRef[];
    return row ?? null;
  }

  async themesOf(em: EntityManager, source: CommentSource, sourceId: string): Promise<TaggedTheme[]> {
    const rows = (await em.query(
      `SELECT theme AS key, polarity FROM comment_themes WHERE source = $1 AND source_id = $2 ORDER BY theme`,
      [source, sourceId],
    )) as TaggedTheme[];
    return rows;
  }

  // Comments nobody tagged yet (the process ended between an answer's commit and its tagging, or
  // they predate the tagger), oldest first.
  async untagged(limit: number): Promise<UntaggedComment[]> {
    const rows = (await this.dataSource.query(
      `(SELECT 'survey' AS source, r.id AS "sourceId", r.customer_id AS "customerId", r.butler_id AS "butlerId",
               r.responded_at AS "commentedAt", r.comment AS text
          FROM survey_responses r
         WHERE r.comment <> ''
           AND NOT EXISTS (SELECT 1 FROM comment_themes t WHERE t.source = 'survey' AND t.source_id = r.id)
         ORDER BY r.responded_at LIMIT $1)
       UNION ALL
       (SELECT 'case', c.id, c.customer_id, c.butler_id, c.opened_at, c.summary
          FROM cases c
         WHERE NOT EXISTS (SELECT 1 FROM comment_themes t WHERE t.source = 'case' AND t.source_id = c.id)
         ORDER BY c.opened_at LIMIT $1)`,
      [limit],
    )) as UntaggedComment[];
    return rows;
  }

  // Theme counts of the Shanghai days from..to, by group, of the comments about butlers the actor
  // sees (the frozen butler, as every satisfaction figure).
  async counts(scope: Scope, from: string, to: string, group: ThemeGroup): Promise<ThemeCountRow[]> {
    const p = new SqlParams();
    const g = GROUP_SQL[group];
    return this.dataSource.query(
      `SELECT ${g.id} AS group_id, ${g.name} AS group_name, t.theme,
              count(*) FILTER (WHERE t.polarity = 'positive')::int AS positive,
              count(*) FILTER (WHERE t.polarity = 'negative')::int AS negative,
              count(*) FILTER (WHERE t.polarity = 'neutral')::int AS neutral,
              count(*)::int AS total
         FROM comment_themes t JOIN users u ON u.id = t.butler_id
        WHERE ${this.window(p, from, to)} AND ${p.fragment(scope.users('u'))}
        GROUP BY 1, 2, 3
        ORDER BY 2 NULLS FIRST, 1, total DESC, 3`,
      p.values,
    );
  }

  // The newest two comments of each group and theme whose client the actor sees now (a comment
  // is the client's: it leaves with a client moved to another team), negative ones first.
  async quotes(scope: Scope, from: string, to: string, group: ThemeGroup): Promise<ThemeQuoteRow[]> {
    const p = new SqlParams();
    const g = GROUP_SQL[group];
    return this.dataSource.query(
      `SELECT group_id, theme, polarity, source, source_id, text, commented_at, corrected,
              (SELECT json_agg(json_build_object('key', a.theme, 'polarity', a.polarity) ORDER BY a.theme)
                 FROM comment_themes a WHERE a.source = q.source AND a.source_id = q.source_id) AS themes
         FROM (
         SELECT ${g.id} AS group_id, t.theme, t.polarity, t.source, t.source_id, t.commented_at,
                t.corrected_by IS NOT NULL AS corrected, coalesce(r.comment, k.summary) AS text,
                row_number() OVER (PARTITION BY ${g.id}, t.theme
                                   ORDER BY t.polarity = 'negative' DESC, t.commented_at DESC, t.id) AS n
           FROM comment_themes t JOIN users u ON u.id = t.butler_id
           JOIN customers c ON c.id = t.customer_id
           LEFT JOIN survey_responses r ON t.source = 'survey' AND r.id = t.source_id
           LEFT JOIN cases k ON t.source = 'case' AND k.id = t.source_id
          WHERE ${this.window(p, from, to)} AND ${p.fragment(scope.users('u'))} AND ${p.fragment(scope.clients('c'))}
       ) q WHERE n <= ${QUOTES}
       ORDER BY group_id NULLS FIRST, theme, n`,
      p.values,
    );
  }

  private window(p: SqlParams, from: string, to: string): string {
    return (
      `t.commented_at >= ${shanghaiDayStartSql(`${p.value(from)}::date`)} ` +
      `AND t.commented_at < ${shanghaiDayStartSql(`(${p.value(to)}::date + 1)`)}`
    );
  }

  private async insert(
    em: EntityManager,
    ref: CommentRef,
    themes: TaggedTheme[],
    correction: { actorId: string; at: Date } | null,
    onlyIfNone = false,
  ): Promise<void> {
    await em.query(
      `INSERT INTO comment_themes
         (source, source_id, customer_id, butler_id, commented_at, theme, polarity, corrected_by, corrected_at)
       SELECT $1::varchar, $2::uuid, $3::uuid, $4::uuid, $5::timestamptz, x.theme, x.polarity,
              $8::uuid, $9::timestamptz
         FROM unnest($6::text[], $7::text[]) AS x(theme, polarity)
        ${onlyIfNone ? NONE_YET : ''}`,
      [
        ref.source,
        ref.sourceId,
        ref.customerId,
        ref.butlerId,
        ref.commentedAt,
        themes.map((t) => t.key),
        themes.map((t) => t.polarity),
        correction?.actorId ?? null,
        correction?.at ?? null,
      ],
    );
  }
}
