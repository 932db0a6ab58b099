// Survey answers (with rating integrity's flags) and what the comments say (comment themes):
// libs/surveys/src/dto/survey-result.dto.ts, libs/comment-themes/src/dto/comment-themes.dto.ts.
import { http, Page } from './client';
import type { QueryOf, Schema } from './types';

export type SurveyResult = Schema<'SurveyResultDto'>;
export type SurveyResultsQuery = QueryOf<'SurveyResultsController_list'>;
export type Theme = SurveyResult['themes'][number]['key'];
export type Polarity = SurveyResult['themes'][number]['polarity'];
export type ThemeCounts = Schema<'ThemeCountsDto'>;
export type ThemeCount = Schema<'ThemeCountDto'>;
export type ThemeQuote = Schema<'ThemeQuoteDto'>;
export type ThemeGroup = ThemeCounts['groupBy'];
export type CommentThemeInput = Schema<'CommentThemeInputDto'>;

export const THEMES: Theme[] = [
  'taste',
  'packaging',
  'delivery',
  'price',
  'authenticity',
  'attitude',
  'responsiveness',
  'event',
  'other',
];
export const POLARITIES: Polarity[] = ['negative', 'positive', 'neutral'];
export const POLARITY_COLORS: Record<Polarity, string> = { negative: 'red', positive: 'green', neutral: 'default' };

export const surveysApi = {
  responses: (query: SurveyResultsQuery) => http.get<Page<SurveyResult>>('/surveys/responses', { ...query }),
  clearFlag: (id: string, note: string) =>
    http.post<SurveyResult>(`/surveys/responses/${id}/clear-flag`, { note } satisfies Schema<'ClearFlagDto'>),
  themes: (query: { from?: string; to?: string; groupBy: ThemeGroup }) =>
    http.get<ThemeCounts>('/reports/comment-themes', query),
  correctThemes: (id: string, themes: CommentThemeInput[]) =>
    http.put<Schema<'CorrectedThemesDto'>>(`/reports/comment-themes/${id}`, {
      // The modal sends at least one theme.
      themes: themes as Schema<'CorrectThemesDto'>['themes'],
    } satisfies Schema<'CorrectThemesDto'>),
};

export const surveyKeys = {
  responses: (query: SurveyResultsQuery) => ['surveys', 'responses', query] as const,
  themes: (query: { from?: string; to?: string; groupBy: ThemeGroup }) => ['reports', 'comment-themes', query] as const,
};
