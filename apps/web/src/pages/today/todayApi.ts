// Endpoints only the 今日 page reads: upcoming care dates and recent low survey scores.
import { http, Page } from '../../api/client';
import type { Schema } from '../../api/types';

export type UpcomingCare = Schema<'UpcomingCareDto'>;
export type SurveyResponseItem = Schema<'SurveyResultDto'>;

export const todayApi = {
  upcomingCare: (days = 7) => http.get<UpcomingCare>('/care/upcoming', { days }),
  lowScores: (limit = 10) => http.get<Page<SurveyResponseItem>>('/surveys/responses', { detractor: true, limit }),
};
