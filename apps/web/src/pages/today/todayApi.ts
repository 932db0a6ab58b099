// Endpoints only the 今日 page reads: upcoming care dates and recent low survey scores.
import { http, Page } from '../../api/client';
import type { Tier } from '../../api/types';

export interface UpcomingCare {
  from: string;
  to: string;
  birthdays: {
    customerId: string;
    customerName: string;
    butlerId: string;
    date: string;
    calendar: 'solar' | 'lunar';
    tier: Tier;
  }[];
  festivals: { key: string; name: string; date: string; calendar: 'solar' | 'lunar' }[];
}

export interface SurveyResponseItem {
  id: string;
  customerId: string;
  customerName: string;
  butlerId: string;
  butlerName: string;
  csat: number | null;
  nps: number | null;
  servqual: Record<string, number | null> | null;
  comment: string | null;
  respondedAt: string;
  source: string;
}

export const todayApi = {
  upcomingCare: (days = 7) => http.get<UpcomingCare>('/care/upcoming', { days }),
  lowScores: (limit = 10) => http.get<Page<SurveyResponseItem>>('/surveys/responses', { detractor: true, limit }),
};
