import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

import { Polarity, Theme } from '../lexicon';

export const COMMENT_SOURCES = ['survey', 'case'] as const;
export type CommentSource = (typeof COMMENT_SOURCES)[number];

// One theme of one client comment (a survey answer's comment or a case's summary) and the
// client's stance on it. The butler is the one the comment is about, frozen when it was made.
@Entity('comment_themes')
@Unique('UQ_comment_themes_source_theme', ['source', 'sourceId', 'theme'])
@Index('IDX_comment_themes_time', ['commentedAt', 'theme'])
@Index('IDX_comment_themes_butler_time', ['butlerId', 'commentedAt'])
export class CommentThemeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_comment_themes' })
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  source!: CommentSource;

  @Column({ type: 'uuid' })
  sourceId!: string;

  @Column({ type: 'uuid' })
  customerId!: string;

  @Column({ type: 'uuid', nullable: true })
  butlerId!: string | null;

  @Column({ type: 'timestamptz' })
  commentedAt!: Date;

  @Column({ type: 'varchar', length: 20 })
  theme!: Theme;

  @Column({ type: 'varchar', length: 10 })
  polarity!: Polarity;

  // Set when a manager corrected the comment's themes: the tagger never overwrites them.
  @Column({ type: 'uuid', nullable: true })
  correctedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  correctedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
