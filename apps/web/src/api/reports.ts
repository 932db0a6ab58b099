// Manager reports: scorecard, trends, drivers, churn (libs/reports/src/dto/reports.dto.ts).
import { http, Page } from './client';
import type { Schema } from './types';

export const SERVQUAL_DIMENSIONS = ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'] as const;
export type ServqualDimension = (typeof SERVQUAL_DIMENSIONS)[number];

export type ButlerReportItem = Schema<'ButlerReportItemDto'>;
export type ButlerReport = Schema<'ButlerReportDto'>;
export type TrendReport = Schema<'TrendReportDto'>;
export type TrendInterval = TrendReport['interval'];
export type DriverItem = Schema<'DriverDto'>;
export type DriversReport = Schema<'DriversReportDto'>;
export type ChurnItem = Schema<'ChurnReportItemDto'>;
export type RootCauseReport = Schema<'RootCauseReportDto'>;
export type RootCauseItems = Schema<'RootCauseItemsDto'>;
export type RootCauseItem = Schema<'RootCauseItemDto'>;
export type SatisfactionReport = Schema<'SatisfactionReportDto'>;
export type SatisfactionGroup = SatisfactionReport['items'][number];
export type SatisfactionGroupBy = SatisfactionReport['groupBy'];
export type SatisfactionKind = SatisfactionReport['kind'];
export const SATISFACTION_GROUP_BYS: SatisfactionGroupBy[] = [
  'team',
  'butler',
  'tier',
  'city',
  'gender',
  'ageBand',
  'channel',
  'aroma',
  'segment',
];

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
  // The monthly root-cause Pareto of recovery tasks, and the tasks behind one bar (docs/sla.md).
  rootCauses: (month: string) => http.get<RootCauseReport>('/reports/root-causes', { month }),
  rootCauseItems: (code: string, month: string) =>
    http.get<RootCauseItems>(`/reports/root-causes/${code}/items`, { month }),
  satisfaction: (query: Period & { groupBy: SatisfactionGroupBy; kind: SatisfactionKind }) =>
    http.get<SatisfactionReport>('/reports/satisfaction', { ...query }),
};

export const reportKeys = {
  butlers: (period: Period) => ['reports', 'butlers', period] as const,
  trend: (butlerId: string, period: Period, interval: TrendInterval) =>
    ['reports', 'trend', butlerId, period, interval] as const,
  drivers: (period: Period) => ['reports', 'drivers', period] as const,
  churn: (butlerId?: string) => ['reports', 'churn', butlerId ?? null] as const,
  satisfaction: (period: Period, groupBy: SatisfactionGroupBy, kind: SatisfactionKind) =>
    ['reports', 'satisfaction', period, groupBy, kind] as const,
};
