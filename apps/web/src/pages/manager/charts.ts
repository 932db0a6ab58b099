import type { BarSeriesOption, LineSeriesOption, RadarSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  RadarComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

import {
  SERVQUAL_DIMENSIONS,
  type ButlerReportItem,
  type DriversReport,
  type SatisfactionGroup,
  type ServqualDimension,
  type TrendReport,
} from '../../api/reports';

// Pure mappings from the reports' JSON to ECharts options (tested in charts.test.ts).

export type ChartOption = ComposeOption<
  | RadarSeriesOption
  | LineSeriesOption
  | BarSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | RadarComponentOption
  | TooltipComponentOption
>;

export type ChannelRow = ButlerReportItem['byChannel'][number];

// The butlers' invitations and responses added up per channel.
export function channelTotals(items: ButlerReportItem[]): ChannelRow[] {
  const totals = new Map<ChannelRow['channel'], ChannelRow>();
  for (const item of items)
    for (const c of item.byChannel) {
      const row = totals.get(c.channel) ?? { channel: c.channel, invitations: 0, responses: 0, responseRate: null };
      row.invitations += c.invitations;
      row.responses += c.responses;
      row.responseRate = row.invitations > 0 ? Math.round((row.responses / row.invitations) * 1000) / 1000 : null;
      totals.set(c.channel, row);
    }
  return [...totals.values()];
}

export const BRAND = '#7a1f1f';
export const HIGHLIGHT = '#d4380d';
export const MUTED = '#bfbfbf';

// Each butler's SERVQUAL means on a 1–5 radar; butlers without any SERVQUAL answer are left out.
export function radarOption(items: ButlerReportItem[], dimensionNames: Record<ServqualDimension, string>): ChartOption {
  const withAnswers = items.filter((i) => SERVQUAL_DIMENSIONS.some((d) => i.servqual[d] !== null));
  return {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll', data: withAnswers.map((i) => i.butlerName) },
    radar: {
      indicator: SERVQUAL_DIMENSIONS.map((d) => ({ name: dimensionNames[d], min: 1, max: 5 })),
      radius: '62%',
      splitNumber: 4,
    },
    series: [
      {
        type: 'radar',
        data: withAnswers.map((i) => ({
          name: i.butlerName,
          // ECharts draws '-' as "no value" instead of dropping to the centre.
          value: SERVQUAL_DIMENSIONS.map((d) => i.servqual[d] ?? '-') as number[],
          areaStyle: { opacity: 0.08 },
        })),
      },
    ],
  };
}

export type TrendMetric = 'csatPercent' | 'nps';

// One line per butler over the union of their periods; a period without answers is a gap.
export function trendOption(trends: TrendReport[], metric: TrendMetric): ChartOption {
  const periods = [...new Set(trends.flatMap((t) => t.items.map((i) => i.period)))].sort();
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, type: 'scroll', data: trends.map((t) => t.butlerName) },
    grid: { left: 48, right: 16, top: 24, bottom: 56 },
    xAxis: { type: 'category', data: periods, boundaryGap: false },
    yAxis:
      metric === 'csatPercent'
        ? { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }
        : { type: 'value', min: -100, max: 100 },
    series: trends.map((t) => {
      const byPeriod = new Map(t.items.map((i) => [i.period, i[metric]]));
      return {
        type: 'line',
        name: t.butlerName,
        connectNulls: true,
        symbolSize: 6,
        data: periods.map((p) => byPeriod.get(p) ?? null),
      };
    }),
  };
}

// Correlation of each SERVQUAL dimension with CSAT, names from the response; the top driver
// is drawn in the highlight colour.
export function driversOption(report: DriversReport, correlationLabel: string): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: report.items.map((i) => i.name) },
    yAxis: { type: 'value', min: -1, max: 1, name: correlationLabel },
    series: [
      {
        type: 'bar',
        name: correlationLabel,
        barMaxWidth: 48,
        data: report.items.map((i) => ({
          value: i.correlation ?? 0,
          itemStyle: { color: i.dimension === report.topDriver ? HIGHLIGHT : i.correlation === null ? MUTED : BRAND },
        })),
        label: {
          show: true,
          position: 'top',
          formatter: (p) => (typeof p.value === 'number' ? p.value.toFixed(2) : ''),
        },
      },
    ],
  };
}

// One bar per group with enough answers (CSAT % for transactional answers, NPS for relationship
// ones), most answers first as the table lists them; suppressed groups are left out.
export function satisfactionOption(
  items: SatisfactionGroup[],
  metric: 'csatPercent' | 'nps',
  name: string,
): ChartOption {
  const shown = items.filter((i) => !i.suppressed && i[metric] !== null).slice(0, 12);
  return {
    // Drawn at once: a report redrawn per filter change needs no growing bars.
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 40, right: 12, top: 24, bottom: 56 },
    xAxis: {
      type: 'category',
      data: shown.map((i) => i.label),
      axisLabel: { interval: 0, rotate: shown.length > 4 ? 30 : 0 },
    },
    yAxis: metric === 'nps' ? { type: 'value', min: -100, max: 100, name } : { type: 'value', min: 0, max: 100, name },
    series: [
      {
        type: 'bar',
        name,
        barMaxWidth: 40,
        itemStyle: { color: BRAND },
        data: shown.map((i) => i[metric] ?? 0),
        label: { show: true, position: 'top' },
      },
    ],
  };
}
