import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Card,
  DatePicker,
  Flex,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import {
  Period,
  reportKeys,
  reportsApi,
  SATISFACTION_GROUP_BYS,
  SatisfactionGroup,
  SatisfactionGroupBy,
  SatisfactionKind,
  SERVQUAL_DIMENSIONS,
} from '../../api/reports';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Fact, PhoneCard, PhoneList } from '../../components/PhoneCard';
import { useIsPhone } from '../../layout/useIsPhone';
import { dayjs, TZ } from '../../lib/format';
import { Chart } from './Chart';
import { satisfactionOption } from './charts';

const num = (v: number | null, digits = 1) => (v === null ? '—' : v.toFixed(digits));
const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${v.toFixed(2)}`);

// 满意度分析: satisfaction by client group (team, butler, tier, city, …) for a period, transactional
// CSAT and relationship NPS apart; groups of fewer than 5 answers show 样本不足.
export default function SatisfactionPage() {
  const { t } = useTranslation('manager');
  const { t: tc } = useTranslation();
  const isPhone = useIsPhone();
  const [groupBy, setGroupBy] = useState<SatisfactionGroupBy>('tier');
  const [kind, setKind] = useState<SatisfactionKind>('transactional');
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const today = dayjs().tz(TZ);
    return [today.subtract(89, 'day'), today];
  });
  const period: Period = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const report = useQuery({
    queryKey: reportKeys.satisfaction(period, groupBy, kind),
    queryFn: () => reportsApi.satisfaction({ ...period, groupBy, kind }),
  });
  const items = report.data?.items ?? [];
  const relationship = kind === 'relationship';
  const few = t('satisfaction.suppressed');
  const shown = (r: SatisfactionGroup, text: string) => (r.suppressed ? <Tag>{few}</Tag> : text);
  const name = (r: SatisfactionGroup) => (r.region ? `${r.label}（${r.region}）` : r.label);

  const columns: TableColumnsType<SatisfactionGroup> = [
    { title: t(`satisfaction.groupBy.${groupBy}`), key: 'label', fixed: 'left', width: 120, render: (_, r) => name(r) },
    { title: t('satisfaction.columns.responses'), dataIndex: 'responses', width: 80, align: 'right' },
    {
      title: t('satisfaction.columns.responseRate'),
      dataIndex: 'responseRate',
      width: 80,
      align: 'right',
      render: (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`),
    },
    {
      title: t('satisfaction.columns.csatPercent'),
      key: 'csatPercent',
      width: 90,
      align: 'right',
      render: (_, r) => shown(r, `${num(r.csatPercent)}%`),
    },
    {
      title: t('satisfaction.columns.csatMean'),
      key: 'csatMean',
      width: 90,
      align: 'right',
      render: (_, r) => shown(r, num(r.csatMean, 2)),
    },
    {
      title: relationship ? t('satisfaction.columns.rnps') : t('satisfaction.columns.nps'),
      key: 'nps',
      width: 80,
      align: 'right',
      render: (_, r) => shown(r, num(r.nps, 0)),
    },
    ...SERVQUAL_DIMENSIONS.map((d) => ({
      title: relationship ? t('satisfaction.gap', { name: t(`servqual.${d}`) }) : t(`servqual.${d}`),
      key: d,
      width: 96,
      align: 'right' as const,
      render: (_: unknown, r: SatisfactionGroup) =>
        r.suppressed ? '' : relationship ? signed(r.gaps[d]) : num(r.servqual[d], 2),
    })),
  ];

  const metric = relationship ? 'nps' : 'csatPercent';
  const metricName = relationship ? t('satisfaction.columns.rnps') : t('satisfaction.columns.csatPercent');
  const chartable = items.some((i) => !i.suppressed && i[metric] !== null);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('satisfaction.title')}
      </Typography.Title>
      <Flex wrap gap={8} align="center">
        <Select<SatisfactionGroupBy>
          aria-label={t('satisfaction.groupByLabel')}
          value={groupBy}
          onChange={setGroupBy}
          style={{ width: 140 }}
          options={SATISFACTION_GROUP_BYS.map((g) => ({ value: g, label: t(`satisfaction.groupBy.${g}`) }))}
        />
        <Segmented<SatisfactionKind>
          aria-label={t('satisfaction.kindLabel')}
          value={kind}
          onChange={setKind}
          options={[
            { value: 'transactional', label: t('satisfaction.kind.transactional') },
            { value: 'relationship', label: t('satisfaction.kind.relationship') },
          ]}
        />
        <DatePicker.RangePicker
          aria-label={t('satisfaction.period')}
          allowClear={false}
          value={range}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          disabledDate={(d) => d.isAfter(dayjs().tz(TZ), 'day')}
        />
      </Flex>
      <Typography.Text type="secondary">
        {relationship ? t('satisfaction.hint.relationship') : t('satisfaction.hint.transactional')}
      </Typography.Text>
      {report.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={report.error} onRetry={() => report.refetch()} />
      ) : (
        <>
          {report.data && (
            <Alert
              type="info"
              showIcon
              title={t('satisfaction.total', {
                responses: report.data.total.responses,
                csat: report.data.total.csatPercent === null ? '—' : `${num(report.data.total.csatPercent)}%`,
                nps: num(report.data.total.nps, 0),
                min: report.data.minResponses,
              })}
            />
          )}
          {chartable && (
            <Card size="small" title={t('satisfaction.chart', { metric: metricName })}>
              <Chart
                option={satisfactionOption(items, metric, metricName)}
                height={isPhone ? 240 : 300}
                label={t('satisfaction.chart', { metric: metricName })}
              />
            </Card>
          )}
          {isPhone ? (
            <PhoneList<SatisfactionGroup>
              items={items}
              loading={report.isPending}
              empty={t('satisfaction.empty')}
              rowKey={(r) => r.key}
              render={(r) => (
                <PhoneCard
                  testId="satisfaction-card"
                  title={name(r)}
                  tags={r.suppressed ? <Tag style={{ marginInlineEnd: 0 }}>{few}</Tag> : undefined}
                >
                  <Flex wrap gap="0 16px">
                    <Fact label={t('satisfaction.columns.responses')}>{r.responses}</Fact>
                    <Fact label={t('satisfaction.columns.responseRate')}>
                      {r.responseRate === null ? '—' : `${(r.responseRate * 100).toFixed(1)}%`}
                    </Fact>
                    {!r.suppressed && (
                      <>
                        <Fact label={t('satisfaction.columns.csatPercent')}>{num(r.csatPercent)}%</Fact>
                        <Fact label={t('satisfaction.columns.csatMean')}>{num(r.csatMean, 2)}</Fact>
                        <Fact label={relationship ? t('satisfaction.columns.rnps') : t('satisfaction.columns.nps')}>
                          {num(r.nps, 0)}
                        </Fact>
                      </>
                    )}
                  </Flex>
                </PhoneCard>
              )}
            />
          ) : (
            <Table<SatisfactionGroup>
              rowKey="key"
              size="small"
              loading={report.isPending}
              columns={columns}
              dataSource={items}
              pagination={false}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('satisfaction.empty') }}
            />
          )}
        </>
      )}
    </Space>
  );
}
