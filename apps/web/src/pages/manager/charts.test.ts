import type { ButlerReportItem, DriversReport, SatisfactionGroup, TrendReport } from '../../api/reports';
import {
  BRAND,
  channelTotals,
  driversOption,
  HIGHLIGHT,
  MUTED,
  radarOption,
  satisfactionOption,
  trendOption,
} from './charts';

const names = {
  reliability: '可靠性',
  responsiveness: '响应性',
  assurance: '保证性',
  empathy: '关怀性',
  tangibles: '有形性',
};

function butler(name: string, servqual: Partial<ButlerReportItem['servqual']>): ButlerReportItem {
  return {
    butlerId: name,
    butlerName: name,
    invitations: 10,
    responses: 5,
    responseRate: 0.5,
    flaggedResponses: 0,
    csatMean: 4.2,
    csatPercent: 80,
    nps: 40,
    servqual: { reliability: null, responsiveness: null, assurance: null, empathy: null, tangibles: null, ...servqual },
    byChannel: [
      { channel: 'email', invitations: 8, responses: 3, responseRate: 0.375 },
      { channel: 'sms', invitations: 2, responses: 2, responseRate: 1 },
      { channel: 'wecom', invitations: 0, responses: 0, responseRate: null },
    ],
    rankScore: 0.5,
    rankMethod: 'wilson',
    followUpsOnTimePercent: 90,
    overdueFollowUps: 0,
    medianFirstResponseHours: 2,
    medianResolutionHours: 20,
  };
}

function trend(name: string, points: [string, number | null, number | null][]): TrendReport {
  return {
    butlerId: name,
    butlerName: name,
    interval: 'week',
    from: '2026-01-01',
    to: '2026-03-01',
    items: points.map(([period, csatPercent, nps]) => ({ ...butler(name, {}), period, csatPercent, nps })),
  };
}

describe('scorecard → ECharts options', () => {
  it('puts each butler on a 1–5 SERVQUAL radar in the dimension order, skipping butlers without answers', () => {
    const option = radarOption(
      [
        butler('林静怡', { reliability: 4.5, responsiveness: 4, assurance: 4.8, empathy: 4.6, tangibles: 3.9 }),
        butler('王浩然', { reliability: 3.2 }),
        butler('新人', {}),
      ],
      names,
    );
    expect(option.radar).toMatchObject({
      indicator: [
        { name: '可靠性', min: 1, max: 5 },
        { name: '响应性' },
        { name: '保证性' },
        { name: '关怀性' },
        { name: '有形性' },
      ],
    });
    const series = option.series as { data: { name: string; value: unknown[] }[] }[];
    expect(series[0].data.map((d) => d.name)).toEqual(['林静怡', '王浩然']);
    expect(series[0].data[0].value).toEqual([4.5, 4, 4.8, 4.6, 3.9]);
    // missing dimensions are gaps, not zeros
    expect(series[0].data[1].value).toEqual([3.2, '-', '-', '-', '-']);
  });

  it('aligns trend lines of several butlers on the same periods, with gaps where a period has no answers', () => {
    const a = trend('林静怡', [
      ['2026-01-05', 80, 30],
      ['2026-01-12', 90, 50],
    ]);
    const b = trend('王浩然', [
      ['2026-01-12', 70, -10],
      ['2026-01-19', null, null],
    ]);
    const csat = trendOption([a, b], 'csatPercent');
    expect(csat.xAxis).toMatchObject({ data: ['2026-01-05', '2026-01-12', '2026-01-19'] });
    expect(csat.yAxis).toMatchObject({ min: 0, max: 100 });
    const series = csat.series as { name: string; data: (number | null)[] }[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['林静怡', [80, 90, null]],
      ['王浩然', [null, 70, null]],
    ]);
    const nps = trendOption([a, b], 'nps');
    expect(nps.yAxis).toMatchObject({ min: -100, max: 100 });
    expect((nps.series as { data: unknown[] }[])[1].data).toEqual([null, -10, null]);
  });

  it('draws one bar per driver with the names from the API and the top driver highlighted', () => {
    const report: DriversReport = {
      from: '2026-01-01',
      to: '2026-03-01',
      method: 'pearson',
      responses: 120,
      topDriver: 'empathy',
      items: [
        {
          dimension: 'reliability',
          name: '可靠性',
          description: '',
          correlation: 0.41,
          slope: 0.3,
          responses: 120,
          mean: 4.1,
        },
        {
          dimension: 'empathy',
          name: '关怀性',
          description: '',
          correlation: 0.72,
          slope: 0.6,
          responses: 120,
          mean: 4.3,
        },
        {
          dimension: 'tangibles',
          name: '有形性',
          description: '',
          correlation: null,
          slope: null,
          responses: 2,
          mean: 4,
        },
      ],
    };
    const option = driversOption(report, '相关系数');
    expect(option.xAxis).toMatchObject({ data: ['可靠性', '关怀性', '有形性'] });
    const bars = (option.series as { data: { value: number; itemStyle: { color: string } }[] }[])[0].data;
    expect(bars.map((b) => b.value)).toEqual([0.41, 0.72, 0]);
    expect(bars.map((b) => b.itemStyle.color)).toEqual([BRAND, HIGHLIGHT, MUTED]);
  });
});

describe('channelTotals', () => {
  it('adds the butlers up per channel, with the response rate of the sums', () => {
    expect(channelTotals([butler('甲', {}), butler('乙', {})])).toEqual([
      { channel: 'email', invitations: 16, responses: 6, responseRate: 0.375 },
      { channel: 'sms', invitations: 4, responses: 4, responseRate: 1 },
      { channel: 'wecom', invitations: 0, responses: 0, responseRate: null },
    ]);
    expect(channelTotals([])).toEqual([]);
  });
});

describe('satisfactionOption', () => {
  const group = (label: string, csatPercent: number | null, suppressed = false) =>
    ({ key: label, label, csatPercent, nps: null, suppressed }) as SatisfactionGroup;

  it('draws one bar per group with enough answers, suppressed ones left out', () => {
    const option = satisfactionOption(
      [group('黄金', 83.3), group('白银', null, true), group('黑金', 62.5)],
      'csatPercent',
      'CSAT %',
    );
    expect(option.xAxis).toMatchObject({ data: ['黄金', '黑金'] });
    expect(option.series).toEqual([expect.objectContaining({ type: 'bar', data: [83.3, 62.5] })]);
  });
});
