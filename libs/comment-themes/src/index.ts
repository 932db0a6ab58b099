export * from './comment-themes.module';
export * from './comment-themes.service';
export * from './entities/comment-theme.entity';
export * from './lexicon';
export type { TaggedTheme } from './theme-tagger';
