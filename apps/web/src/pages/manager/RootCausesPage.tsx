import { useQuery } from '@tanstack/react-query';
import {
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  List,
  Progress,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { reportsApi, type RootCauseItem } from '../../api/reports';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useIsPhone } from '../../layout/useIsPhone';
import { dayjs, formatDateTime, formatPercent, TZ } from '../../lib/format';

// 低分根因分析: the month's completed recovery tasks by root cause, largest first with the running
// share (a Pareto chart as rows a thumb can tap), the tasks behind a bar, and each manager's
// recovered share from the one-question re-survey.
export default function RootCausesPage() {
  const { t } = useTranslation('manager');
  const { t: tc } = useTranslation();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().tz(TZ).startOf('month'));
  const [open, setOpen] = useState<string | null>(null);
  const isPhone = useIsPhone();
  const key = month.format('YYYY-MM');
  const report = useQuery({ queryKey: ['reports', 'root-causes', key], queryFn: () => reportsApi.rootCauses(key) });
  const cause = (code: string) => t(`today:complete.rootCauses.${code}`);
  const max = Math.max(1, ...(report.data?.bars.map((b) => b.count) ?? []));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('rootCauses.title')}
        </Typography.Title>
        <DatePicker
          picker="month"
          value={month}
          allowClear={false}
          onChange={(value) => value && setMonth(value)}
          aria-label={t('rootCauses.month')}
          data-testid="root-cause-month"
        />
      </Flex>
      <Typography.Text type="secondary">{t('rootCauses.help')}</Typography.Text>
      {report.isError && <ErrorAlert title={tc('loadFailed')} error={report.error} onRetry={() => report.refetch()} />}
      {report.isPending && <Skeleton active />}
      {report.isSuccess && (
        <>
          <Card size="small" title={t('rootCauses.total', { count: report.data.total })} data-testid="pareto">
            {report.data.bars.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rootCauses.empty')} />
            ) : (
              <List
                dataSource={report.data.bars}
                renderItem={(bar) => (
                  <List.Item
                    onClick={() => setOpen(bar.code)}
                    style={{ cursor: 'pointer', display: 'block' }}
                    data-testid="pareto-bar"
                    role="button"
                    tabIndex={0}
                    aria-label={`${cause(bar.code)} ${t('rootCauses.count', { count: bar.count })}`}
                    onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && setOpen(bar.code)}
                  >
                    <Flex justify="space-between" wrap gap={4}>
                      <Typography.Text strong>{cause(bar.code)}</Typography.Text>
                      <Typography.Text>
                        {t('rootCauses.count', { count: bar.count })} ·{' '}
                        {t('rootCauses.share', { percent: formatPercent(bar.percent) })}
                      </Typography.Text>
                    </Flex>
                    <Progress
                      percent={(bar.count / max) * 100}
                      showInfo={false}
                      strokeColor="#7a1f1f"
                      aria-hidden
                      style={{ margin: '4px 0 0' }}
                    />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('rootCauses.cumulative', { percent: formatPercent(bar.cumulativePercent) })}
                    </Typography.Text>
                  </List.Item>
                )}
              />
            )}
          </Card>
          <Card size="small" title={t('rootCauses.recoveryTitle')} data-testid="recovery-by-manager">
            <Typography.Paragraph type="secondary">{t('rootCauses.recoveryHelp')}</Typography.Paragraph>
            <List
              dataSource={report.data.recovery}
              locale={{ emptyText: t('rootCauses.recoveryNone') }}
              renderItem={(r) => (
                <List.Item>
                  <Flex justify="space-between" wrap gap={8} style={{ width: '100%' }}>
                    <Typography.Text strong>{r.managerName}</Typography.Text>
                    <Space wrap size={4}>
                      <Tag>
                        {t('rootCauses.recoveryColumns.tasks')} {r.tasks}
                      </Tag>
                      <Tag>
                        {t('rootCauses.recoveryColumns.resurveyed')} {r.resurveyed}
                      </Tag>
                      <Tag>
                        {t('rootCauses.recoveryColumns.answered')} {r.answered}
                      </Tag>
                      <Tag color={r.recoveredPercent === null ? 'default' : 'green'}>
                        {t('rootCauses.recoveryColumns.recovered')} {formatPercent(r.recoveredPercent)}
                      </Tag>
                    </Space>
                  </Flex>
                </List.Item>
              )}
            />
          </Card>
        </>
      )}
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open ? t('rootCauses.drillTitle', { cause: cause(open), month: key }) : ''}
        size={isPhone ? '100%' : 640}
        destroyOnHidden
      >
        {open && <Items code={open} month={key} />}
      </Drawer>
    </Space>
  );
}

function Items({ code, month }: { code: string; month: string }) {
  const { t } = useTranslation('manager');
  const { t: tc } = useTranslation();
  const items = useQuery({
    queryKey: ['reports', 'root-causes', month, code],
    queryFn: () => reportsApi.rootCauseItems(code, month),
  });
  if (items.isPending) return <Skeleton active />;
  if (items.isError) return <ErrorAlert title={tc('loadFailed')} error={items.error} onRetry={() => items.refetch()} />;
  return (
    <List<RootCauseItem>
      dataSource={items.data.items}
      footer={items.data.items.length >= 500 ? t('rootCauses.capped') : undefined}
      renderItem={(item) => (
        <List.Item data-testid="root-cause-item" style={{ display: 'block' }}>
          <Flex justify="space-between" wrap gap={4}>
            <Link to={`/clients/${item.customerId}`}>{item.customerName}</Link>
            {item.recoveryOutcome && (
              <Tag color="blue">{t(`today:complete.recoveryOutcomes.${item.recoveryOutcome}`)}</Tag>
            )}
          </Flex>
          <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
            <Descriptions.Item label={t('rootCauses.owner')}>{item.ownerName}</Descriptions.Item>
            <Descriptions.Item label={t('rootCauses.completedAt')}>
              {formatDateTime(item.completedAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('rootCauses.answer')}>
              {item.answer ? (
                <span>
                  <Tag color="red">{t('rootCauses.csat', { value: item.answer.csat })}</Tag>
                  {item.answer.nps !== null && <Tag>{t('rootCauses.nps', { value: item.answer.nps })}</Tag>}
                  {item.answer.comment || t('rootCauses.noComment')}
                  {item.answer.butlerName && (
                    <Typography.Text type="secondary">
                      {' '}
                      （{t('rootCauses.ratedButler')}：{item.answer.butlerName}）
                    </Typography.Text>
                  )}
                </span>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('rootCauses.case')}>
              {item.case ? (
                <Link to={`/cases?open=${item.case.id}`}>
                  {item.case.summary}（{t(`cases:statuses.${item.case.status}`)}）
                </Link>
              ) : (
                <Typography.Text type="secondary">{t('rootCauses.noCase')}</Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('rootCauses.resurvey')}>
              {!item.resurvey
                ? t('rootCauses.resurveyNone')
                : item.resurvey.csat === null
                  ? t('rootCauses.resurveyPending')
                  : t('rootCauses.resurveyAnswer', { value: item.resurvey.csat })}
            </Descriptions.Item>
            {item.note && <Descriptions.Item label={t('rootCauses.note')}>{item.note}</Descriptions.Item>}
          </Descriptions>
        </List.Item>
      )}
    />
  );
}
