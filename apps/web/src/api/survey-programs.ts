// Relationship survey programs (关系调查; libs/surveys/src/dto/survey-program.dto.ts).
import { http } from './client';
import type { Schema } from './types';

export type SurveyProgram = Schema<'SurveyProgramDto'>;
export type ProgramStatus = SurveyProgram['status'];
export type ProgramList = Schema<'SurveyProgramListDto'>;
export type SurveyQuestion = Schema<'SurveyQuestionDto'>;
export type CreateProgramBody = Schema<'CreateSurveyProgramDto'>;
export type UpdateProgramBody = Schema<'UpdateSurveyProgramDto'>;
export type ProgramReport = Schema<'ProgramReportDto'>;
export type ReportGroup = Schema<'ProgramReportGroupDto'>;
export type SamplePreview = Schema<'SamplePreviewDto'>;

export const programsApi = {
  list: () => http.get<ProgramList>('/survey-programs'),
  get: (id: string) => http.get<SurveyProgram>(`/survey-programs/${id}`),
  create: (body: CreateProgramBody) => http.post<SurveyProgram>('/survey-programs', body),
  update: (id: string, body: UpdateProgramBody) => http.patch<SurveyProgram>(`/survey-programs/${id}`, body),
  start: (id: string) => http.post<SurveyProgram>(`/survey-programs/${id}/start`),
  pause: (id: string) => http.post<SurveyProgram>(`/survey-programs/${id}/pause`),
  preview: (id: string) => http.get<SamplePreview>(`/survey-programs/${id}/sample-preview`),
  report: (id: string, cycle?: number) =>
    http.get<ProgramReport>(`/survey-programs/${id}/report`, cycle ? { cycle } : undefined),
};

export const programKeys = {
  all: ['survey-programs'] as const,
  list: ['survey-programs', 'list'] as const,
  detail: (id: string) => ['survey-programs', 'detail', id] as const,
  preview: (id: string) => ['survey-programs', 'preview', id] as const,
  report: (id: string, cycle?: number) => ['survey-programs', 'report', id, cycle ?? 'latest'] as const,
};

// 11-01 → 11月1日
export function monthDay(md: string | undefined): string {
  if (!md) return '';
  const [m, d] = md.split('-').map(Number);
  return `${m}月${d}日`;
}

// A share 0–1 as a percentage, or '—'.
export function percent(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`;
}

// A signed gap (P − E), e.g. −0.8 or +0.2.
export function signed(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  return `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(2)}`;
}
