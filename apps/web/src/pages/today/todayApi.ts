// Endpoints only the 今日 page reads: upcoming care dates and recent low survey scores.
import { http, Page } from '../../api/client';
import type { Schema } from '../../api/types';

export type UpcomingCare = Schema<'UpcomingCareDto'>;
export type SurveyResponseItem = Schema<'SurveyResultDto'>;
export type WecomTodo = Schema<'WecomTodoDto'>;

export const todayApi = {
  upcomingCare: (days = 7) => http.get<UpcomingCare>('/care/upcoming', { days }),
  // The caller's 群发 tasks waiting for them in the WeCom app.
  wecomTodo: () => http.get<WecomTodo>('/wecom/todo'),
  lowScores: (limit = 10) => http.get<Page<SurveyResponseItem>>('/surveys/responses', { detractor: true, limit }),
};
