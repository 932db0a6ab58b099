import { QuestionCircleOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import {
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  Row,
  Segmented,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import {
  ButlerReportItem,
  Period,
  reportKeys,
  reportsApi,
  SERVQUAL_DIMENSIONS,
  ServqualDimension,
  TrendInterval,
} from '../../api/reports';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { Fact, PhoneCard, PhoneList } from '../../components/PhoneCard';
import { useIsPhone } from '../../layout/useIsPhone';
import { dayjs, formatPercent, TZ } from '../../lib/format';
import { Chart } from './Chart';
import { channelTotals, driversOption, radarOption, TrendMetric, trendOption } from './charts';

const num = (v: number | null, digits = 1) => (v === null ? '—' : v.toFixed(digits));
const byNumber = (pick: (r: ButlerReportItem) => number | null) => (a: ButlerReportItem, b: ButlerReportItem) =>
  (pick(a) ?? -Infinity) - (pick(b) ?? -Infinity);

// Answers held out of the figures by rating integrity: a link to them (评价明细, 可疑) when any.
function FlaggedLink({ n, butlerId }: { n: number; butlerId: string }) {
  const { t } = useTranslation('manager');
  if (n === 0) return <>0</>;
  return (
    <Link to={`/manager/surveys?butlerId=${butlerId}&flagged=true`} aria-label={t('scorecard.flaggedLink', { n })}>
      <Typography.Text type="warning">{n}</Typography.Text>
    </Link>
  );
}

// 满意度看板: the team's scorecard for a period, the SERVQUAL radar, trends and drivers.
export default function ScorecardPage() {
  const { t } = useTranslation('manager');
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const today = dayjs().tz(TZ);
    return [today.subtract(89, 'day'), today];
  });
  const period: Period = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const report = useQuery({ queryKey: reportKeys.butlers(period), queryFn: () => reportsApi.butlers(period) });
  const drivers = useQuery({ queryKey: reportKeys.drivers(period), queryFn: () => reportsApi.drivers(period) });
  const items = useMemo(() => report.data?.items ?? [], [report.data]);
  // A phone lists the butlers best first, as the table sorts by default.
  const ranked = useMemo(() => [...items].sort((a, b) => byNumber((r) => r.rankScore)(b, a)), [items]);
  const isPhone = useIsPhone();
  const { t: tc } = useTranslation();
  const hours = (v: number | null) => (v === null ? '—' : t('scorecard.phone.hours', { n: v.toFixed(1) }));
  const dimensionNames = Object.fromEntries(SERVQUAL_DIMENSIONS.map((d) => [d, t(`servqual.${d}`)])) as Record<
    ServqualDimension,
    string
  >;

  const columns: TableColumnsType<ButlerReportItem> = [
    { title: t('scorecard.columns.butler'), dataIndex: 'butlerName', fixed: 'left', width: 100 },
    {
      title: t('scorecard.columns.invitations'),
      dataIndex: 'invitations',
      align: 'right',
      sorter: byNumber((r) => r.invitations),
    },
    {
      title: t('scorecard.columns.responses'),
      dataIndex: 'responses',
      align: 'right',
      sorter: byNumber((r) => r.responses),
    },
    {
      title: t('scorecard.columns.flagged'),
      dataIndex: 'flaggedResponses',
      align: 'right',
      sorter: byNumber((r) => r.flaggedResponses),
      render: (n: number, r) => <FlaggedLink n={n} butlerId={r.butlerId} />,
    },
    {
      title: t('scorecard.columns.responseRate'),
      dataIndex: 'responseRate',
      align: 'right',
      render: (v: number | null) => formatPercent(v === null ? null : v * 100),
    },
    {
      title: t('scorecard.columns.csatPercent'),
      dataIndex: 'csatPercent',
      align: 'right',
      render: (v: number | null) => formatPercent(v),
      sorter: byNumber((r) => r.csatPercent),
    },
    {
      title: t('scorecard.columns.csatMean'),
      dataIndex: 'csatMean',
      align: 'right',
      render: (v: number | null) => num(v, 2),
    },
    {
      title: t('scorecard.columns.nps'),
      dataIndex: 'nps',
      align: 'right',
      render: (v: number | null) => num(v, 0),
      sorter: byNumber((r) => r.nps),
    },
    {
      title: t('scorecard.columns.onTime'),
      dataIndex: 'followUpsOnTimePercent',
      align: 'right',
      render: (v: number | null) => formatPercent(v),
    },
    { title: t('scorecard.columns.overdue'), dataIndex: 'overdueFollowUps', align: 'right' },
    {
      title: t('scorecard.columns.firstResponse'),
      dataIndex: 'medianFirstResponseHours',
      align: 'right',
      render: (v: number | null) => num(v),
    },
    {
      title: t('scorecard.columns.resolution'),
      dataIndex: 'medianResolutionHours',
      align: 'right',
      render: (v: number | null) => num(v),
    },
    {
      title: (
        <Space size={4}>
          {t('scorecard.columns.rankScore')}
          <Tooltip title={report.data?.rankDescription}>
            <QuestionCircleOutlined aria-label={t('scorecard.rankHelp')} tabIndex={0} />
          </Tooltip>
        </Space>
      ),
      dataIndex: 'rankScore',
      align: 'right',
      fixed: 'right',
      width: 110,
      defaultSortOrder: 'descend',
      sorter: byNumber((r) => r.rankScore),
      render: (v: number | null) => <Typography.Text strong>{num(v, 2)}</Typography.Text>,
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('scorecard.title')}
        </Typography.Title>
        <Flex wrap gap={8}>
          <DatePicker.RangePicker
            aria-label={t('scorecard.period')}
            allowClear={false}
            value={range}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            disabledDate={(d) => d.isAfter(dayjs().tz(TZ), 'day')}
          />
          <ExportMenu kind="scorecard" period={period} label={tc('export.scorecard')} />
          <ExportMenu kind="survey-responses" period={period} label={tc('export.responses')} />
        </Flex>
      </Flex>
      {report.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={report.error} onRetry={() => report.refetch()} />
      ) : isPhone ? (
        <PhoneList<ButlerReportItem>
          items={ranked}
          loading={report.isPending}
          empty={t('scorecard.empty')}
          rowKey={(r) => r.butlerId}
          render={(r) => (
            <PhoneCard
              testId="butler-card"
              title={r.butlerName}
              tags={
                <Tag color="red" style={{ marginInlineEnd: 0 }}>
                  {t('scorecard.columns.rankScore')} {num(r.rankScore, 2)}
                </Tag>
              }
            >
              <Flex wrap gap="0 16px">
                <Fact label={t('scorecard.columns.csatPercent')}>{formatPercent(r.csatPercent)}</Fact>
                <Fact label={t('scorecard.columns.nps')}>{num(r.nps, 0)}</Fact>
                <Fact label={t('scorecard.columns.responses')}>
                  {r.responses}/{r.invitations}
                </Fact>
                <Fact label={t('scorecard.columns.flagged')}>
                  <FlaggedLink n={r.flaggedResponses} butlerId={r.butlerId} />
                </Fact>
                <Fact label={t('scorecard.columns.onTime')}>{formatPercent(r.followUpsOnTimePercent)}</Fact>
                <Fact label={t('scorecard.columns.overdue')}>{r.overdueFollowUps}</Fact>
                <Fact label={t('scorecard.phone.firstResponse')}>{hours(r.medianFirstResponseHours)}</Fact>
                <Fact label={t('scorecard.phone.resolution')}>{hours(r.medianResolutionHours)}</Fact>
              </Flex>
            </PhoneCard>
          )}
        />
      ) : (
        <Table<ButlerReportItem>
          rowKey="butlerId"
          size="middle"
          loading={report.isPending}
          columns={columns}
          dataSource={items}
          pagination={false}
          scroll={{ x: 1400 }}
          locale={{ emptyText: report.isPending ? <Skeleton active /> : t('scorecard.empty') }}
        />
      )}
      {(report.data?.teams.length ?? 0) > 0 && (
        <Card title={t('scorecard.teamsTitle')} size="small" data-testid="team-rollup">
          <Flex vertical gap={6}>
            {report.data!.teams.map((team) => (
              <Flex key={team.teamId} wrap gap="0 16px" align="baseline">
                <Typography.Text strong>
                  {team.region ? `${team.teamName}（${team.region}）` : team.teamName}
                </Typography.Text>
                <Fact label={t('scorecard.teamButlers')}>{team.butlers}</Fact>
                <Fact label={t('scorecard.columns.responses')}>
                  {team.responses}/{team.invitations}
                </Fact>
                <Fact label={t('scorecard.columns.csatPercent')}>{formatPercent(team.csatPercent)}</Fact>
                <Fact label={t('scorecard.columns.csatMean')}>{num(team.csatMean, 2)}</Fact>
                <Fact label={t('scorecard.columns.nps')}>{num(team.nps, 0)}</Fact>
                <Fact label={t('scorecard.columns.onTime')}>{formatPercent(team.followUpsOnTimePercent)}</Fact>
              </Flex>
            ))}
          </Flex>
        </Card>
      )}
      <Card title={t('scorecard.byChannelTitle')} size="small" data-testid="by-channel">
        <Typography.Paragraph type="secondary">{t('scorecard.byChannelHint')}</Typography.Paragraph>
        <Flex wrap gap="8px 32px">
          {channelTotals(items).map((c) => (
            <Space key={c.channel} orientation="vertical" size={0} data-testid={`channel-${c.channel}`}>
              <Typography.Text strong>{t(`scorecard.channels.${c.channel}`)}</Typography.Text>
              <Typography.Text>
                {t('scorecard.channelFigures', {
                  invitations: c.invitations,
                  responses: c.responses,
                  rate: formatPercent(c.responseRate === null ? null : c.responseRate * 100),
                })}
              </Typography.Text>
            </Space>
          ))}
        </Flex>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card title={t('scorecard.radarTitle')} size="small">
            {items.length ? (
              <Chart label={t('scorecard.radarTitle')} option={radarOption(items, dimensionNames)} height={340} />
            ) : report.isPending ? (
              <Skeleton active />
            ) : (
              <Empty description={t('scorecard.empty')} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <TrendCard items={items} period={period} loading={report.isPending} />
        </Col>
        <Col xs={24}>
          <Card title={t('scorecard.driversTitle')} size="small">
            {drivers.isPending ? (
              <Skeleton active />
            ) : drivers.isError ? (
              <ErrorAlert title={tc('loadFailed')} error={drivers.error} onRetry={() => drivers.refetch()} />
            ) : drivers.data.items.some((i) => i.correlation !== null) ? (
              <>
                <Typography.Paragraph type="secondary">
                  {t('scorecard.driversHint', { n: drivers.data.responses })}
                  {drivers.data.topDriver && (
                    <>
                      {' · '}
                      <Typography.Text strong>
                        {t('scorecard.topDriver', {
                          name:
                            drivers.data.items.find((i) => i.dimension === drivers.data.topDriver)?.name ??
                            drivers.data.topDriver,
                        })}
                      </Typography.Text>
                    </>
                  )}
                </Typography.Paragraph>
                <Chart
                  label={t('scorecard.driversTitle')}
                  option={driversOption(drivers.data, t('scorecard.correlation'))}
                  height={300}
                />
              </>
            ) : (
              <Empty description={t('scorecard.noDrivers')} />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

// CSAT % or NPS per week or month for the butlers picked (the first three by default).
function TrendCard({ items, period, loading }: { items: ButlerReportItem[]; period: Period; loading: boolean }) {
  const { t } = useTranslation('manager');
  const [picked, setPicked] = useState<string[] | null>(null);
  const [interval, setTrendInterval] = useState<TrendInterval>('week');
  const [metric, setMetric] = useState<TrendMetric>('csatPercent');
  const selected = picked ?? items.slice(0, 3).map((i) => i.butlerId);
  const trends = useQueries({
    queries: selected.map((id) => ({
      queryKey: reportKeys.trend(id, period, interval),
      queryFn: () => reportsApi.trend(id, { ...period, interval }),
    })),
  });
  const loaded = trends.flatMap((q) => (q.data ? [q.data] : []));
  return (
    <Card
      title={t('scorecard.trendTitle')}
      size="small"
      extra={
        <Space wrap size={4}>
          <Segmented<TrendInterval>
            size="small"
            value={interval}
            onChange={setTrendInterval}
            options={[
              { value: 'week', label: t('scorecard.week') },
              { value: 'month', label: t('scorecard.month') },
            ]}
          />
          <Segmented<TrendMetric>
            size="small"
            value={metric}
            onChange={setMetric}
            options={[
              { value: 'csatPercent', label: t('scorecard.metricCsat') },
              { value: 'nps', label: t('scorecard.metricNps') },
            ]}
          />
        </Space>
      }
    >
      <Select
        mode="multiple"
        aria-label={t('scorecard.compare')}
        placeholder={t('scorecard.compare')}
        style={{ width: '100%', marginBottom: 8 }}
        value={selected}
        onChange={setPicked}
        maxCount={6}
        options={items.map((i) => ({ value: i.butlerId, label: i.butlerName }))}
      />
      {loaded.length ? (
        <Chart label={t('scorecard.trendTitle')} option={trendOption(loaded, metric)} height={300} />
      ) : loading || trends.some((q) => q.isPending) ? (
        <Skeleton active />
      ) : (
        <Empty description={t('scorecard.empty')} />
      )}
    </Card>
  );
}
