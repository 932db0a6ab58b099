// Manager reports: scorecard, trends, drivers, churn (libs/reports/src/dto/reports.dto.ts).
import { http, Page } from './client';

export const SERVQUAL_DIMENSIONS = ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'] as const;
export type ServqualDimension = (typeof SERVQUAL_DIMENSIONS)[number];

export interface SurveyFigures {
  invitations: number;
  responses: number;
  responseRate: number | null;
  csatMean: number | null;
  csatPercent: number | null;
  nps: number | null;
  servqual: Record<ServqualDimension, number | null>;
  rankScore: number | null;
  rankMethod: 'wilson';
}

export interface OperationsFigures {
  followUpsOnTimePercent: number | null;
  medianFirstResponseHours: number | null;
  medianResolutionHours: number | null;
}

export type ButlerReportItem = { butlerId: string; butlerName: string; overdueFollowUps: number } & SurveyFigures &
  OperationsFigures;

export interface ButlerReport {
  from: string;
  to: string;
  rankMethod: 'wilson';
  rankDescription: string;
  items: ButlerReportItem[];
}

export type TrendInterval = 'week' | 'month';

export interface TrendReport {
  butlerId: string;
  butlerName: string;
  interval: TrendInterval;
  from: string;
  to: string;
  items: ({ period: string } & SurveyFigures & OperationsFigures)[];
}

export interface DriverItem {
  dimension: ServqualDimension;
  name: string;
  description: string;
  correlation: number | null;
  slope: number | null;
  responses: number;
  mean: number | null;
}

export interface DriversReport {
  from: string;
  to: string;
  method: 'pearson';
  responses: number;
  topDriver: string | null;
  items: DriverItem[];
}

export interface ChurnItem {
  customerId: string;
  customerName: string;
  tier: string;
  butlerId: string;
  butlerName: string;
  lastPurchaseAt: string | null;
  lastDetractorAt: string | null;
  reasons: { code: string; message: string }[];
}

export interface Period {
  from?: string;
  to?: string;
}

export const reportsApi = {
  butlers: (period: Period) => http.get<ButlerReport>('/reports/butlers', { ...period }),
  trend: (butlerId: string, query: Period & { interval: TrendInterval }) =>
    http.get<TrendReport>(`/reports/butlers/${butlerId}/trend`, { ...query }),
  drivers: (period: Period) => http.get<DriversReport>('/reports/drivers', { ...period }),
  churn: (query: { butlerId?: string; cursor?: string; limit?: number }) =>
    http.get<Page<ChurnItem>>('/reports/churn', query),
};

export const reportKeys = {
  butlers: (period: Period) => ['reports', 'butlers', period] as const,
  trend: (butlerId: string, period: Period, interval: TrendInterval) =>
    ['reports', 'trend', butlerId, period, interval] as const,
  drivers: (period: Period) => ['reports', 'drivers', period] as const,
  churn: (butlerId?: string) => ['reports', 'churn', butlerId ?? null] as const,
};
