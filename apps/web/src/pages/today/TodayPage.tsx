import { CheckOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { caseKeys, casesApi } from '../../api/cases';
import { Customer, customerKeys, customersApi } from '../../api/customers';
import { FollowUp, followUpKeys, followUpsApi } from '../../api/follow-ups';
import { useSession } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LogContactButton } from '../../components/LogContactModal';
import { Fact, PhoneCard, PhoneList } from '../../components/PhoneCard';
import { TelButton } from '../../components/TelButton';
import { useIsPhone } from '../../layout/useIsPhone';
import { formatDate, formatDateTime, shanghaiDay, waitedLabel } from '../../lib/format';
import { TierTag } from '../clients/TierTag';
import { daysUntil } from './completeFollowUp';
import CompleteFollowUpModal from './CompleteFollowUpModal';
import { SurveyResponseItem, todayApi, UpcomingCare } from './todayApi';

// The butler's day: what is due, who to greet, who is drifting away, who was unhappy.
export default function TodayPage() {
  const { t } = useTranslation('today');
  const { hasRole } = useSession();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      {hasRole('manager', 'admin') && <RecoverySection />}
      <BreachedCasesSection />
      <WecomTodoSection />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <FollowUpsSection withoutRecovery={hasRole('manager', 'admin')} />
            <SilentSection />
            <AtRiskSection />
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <CareSection />
            <LowScoresSection />
          </Space>
        </Col>
      </Row>
    </Space>
  );
}

const recoveryFilters = { status: 'open', kind: 'recovery', limit: 20 } as const;

// 低分挽回: the manager's recovery tasks (a low survey score, due within 24 hours), whatever their
// due day, most urgent first, each with the score, the comment and the client's phone.
function RecoverySection() {
  const { t } = useTranslation('today');
  const { t: tc } = useTranslation();
  const [completing, setCompleting] = useState<FollowUp | null>(null);
  const list = useQuery({
    queryKey: followUpKeys.list(recoveryFilters),
    queryFn: () => followUpsApi.list(recoveryFilters),
  });
  const items = list.data?.items ?? [];
  return (
    <Card
      title={t('recovery.title')}
      size="small"
      extra={list.isSuccess && <Typography.Text type="secondary">{items.length}</Typography.Text>}
      styles={{ header: { background: '#fff1f0' } }}
    >
      {list.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <PhoneList<FollowUp>
          items={items}
          loading={list.isPending}
          empty={t('recovery.none')}
          rowKey={(f) => f.id}
          render={(f) => (
            <PhoneCard
              testId="recovery-card"
              title={<Link to={`/clients/${f.customerId}`}>{f.customerName ?? '—'}</Link>}
              tags={
                <>
                  {f.slaBreachedAt && (
                    <Tag color="red" data-testid="recovery-breached">
                      {t('sla.breached')}
                    </Tag>
                  )}
                  <Tag data-testid="recovery-ageing">{waitedLabel(f.createdAt)}</Tag>
                  {f.recoveryScore && <Tag color="red">{t('lowScores.csat', { value: f.recoveryScore.csat })}</Tag>}
                  {f.recoveryScore?.nps != null && (
                    <Tag color={f.recoveryScore.nps <= 6 ? 'red' : 'default'}>
                      {t('lowScores.nps', { value: f.recoveryScore.nps })}
                    </Tag>
                  )}
                </>
              }
              actions={[
                <Button
                  key="complete"
                  type="primary"
                  icon={<CheckOutlined />}
                  onClick={() => setCompleting(f)}
                  aria-label={`${t('followUps.complete')} ${f.customerName ?? ''} ${f.title}`}
                >
                  {t('followUps.complete')}
                </Button>,
                <TelButton key="call" mobile={f.customerMobile} />,
              ]}
            >
              <Typography.Text type={f.recoveryScore?.comment ? undefined : 'secondary'}>
                {f.recoveryScore?.comment || t('lowScores.noComment')}
              </Typography.Text>
              <Fact label={t('recovery.dueBy')}>
                <Typography.Text type={f.overdue ? 'danger' : undefined}>
                  {formatDateTime(f.dueAt)}
                  {f.overdue ? ` ${t('followUps.overdue')}` : ''}
                </Typography.Text>
              </Fact>
            </PhoneCard>
          )}
        />
      )}
      <CompleteFollowUpModal followUp={completing} onClose={() => setCompleting(null)} />
    </Card>
  );
}

// 超时工单: the open cases in the actor's reach that the SLA worker marked past their time limit,
// with how long they have waited. Hidden when there are none.
function BreachedCasesSection() {
  const { t } = useTranslation('today');
  const { t: tc } = useTranslation();
  const list = useQuery({
    queryKey: [...caseKeys.all, 'breached-open'],
    queryFn: () => casesApi.list({ breached: true, limit: 50 }),
  });
  const items = (list.data?.items ?? []).filter((c) => c.status === 'open' || c.status === 'in_progress');
  if (list.isSuccess && items.length === 0) return null;
  return (
    <Card
      title={t('sla.casesTitle')}
      size="small"
      data-testid="breached-cases"
      extra={list.isSuccess && <Typography.Text type="secondary">{items.length}</Typography.Text>}
      styles={{ header: { background: '#fff1f0' } }}
    >
      {list.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <PhoneList
          items={items}
          loading={list.isPending}
          empty=""
          rowKey={(c) => c.id}
          render={(c) => (
            <PhoneCard
              testId="breached-case-card"
              title={<Link to={`/cases?open=${c.id}`}>{c.customerName ?? '—'}</Link>}
              tags={
                <>
                  <Tag color="red">{t('sla.breached')}</Tag>
                  <Tag>{waitedLabel(c.openedAt)}</Tag>
                </>
              }
            >
              <Typography.Text>{c.summary}</Typography.Text>
              <Fact label={t('sla.breachedAt')}>{formatDateTime(c.slaBreachedAt)}</Fact>
            </PhoneCard>
          )}
        />
      )}
    </Card>
  );
}

const overdueFilters = { status: 'open', due: 'overdue', limit: 50 } as const;
const todayFilters = { status: 'open', due: 'today', limit: 50 } as const;

// A manager's recovery tasks have their own section above: listed there only.
function FollowUpsSection({ withoutRecovery }: { withoutRecovery: boolean }) {
  const { t } = useTranslation('today');
  const { t: tc } = useTranslation();
  const [completing, setCompleting] = useState<FollowUp | null>(null);
  const overdue = useQuery({
    queryKey: followUpKeys.list(overdueFilters),
    queryFn: () => followUpsApi.list(overdueFilters),
  });
  const today = useQuery({ queryKey: followUpKeys.list(todayFilters), queryFn: () => followUpsApi.list(todayFilters) });
  // A follow-up due earlier today is both "today" and "overdue": list it once.
  const rows = useMemo(() => {
    const seen = new Set<string>();
    return [...(overdue.data?.items ?? []), ...(today.data?.items ?? [])].filter(
      (f) => !(withoutRecovery && f.kind === 'recovery') && !seen.has(f.id) && seen.add(f.id),
    );
  }, [overdue.data, today.data, withoutRecovery]);
  const error = overdue.error ?? today.error;
  const loading = overdue.isPending || today.isPending;
  const isPhone = useIsPhone();
  const completeButton = (f: FollowUp) => (
    <Button
      key="complete"
      size={isPhone ? 'middle' : 'small'}
      type="primary"
      icon={<CheckOutlined />}
      onClick={() => setCompleting(f)}
      aria-label={`${t('followUps.complete')} ${f.customerName ?? ''} ${f.title}`}
    >
      {t('followUps.complete')}
    </Button>
  );
  const dueTag = (f: FollowUp) => (
    <Tag color={f.overdue ? 'red' : 'blue'} style={{ marginInlineEnd: 0 }}>
      {f.overdue ? t('followUps.overdue') : t('followUps.today')}
    </Tag>
  );
  // While loading or after a failure the count and the empty text would be untrue: neither shows.
  return (
    <Card
      title={t('followUps.title')}
      size="small"
      extra={!loading && !error && <Typography.Text type="secondary">{rows.length}</Typography.Text>}
    >
      {error ? (
        <ErrorAlert
          title={tc('loadFailed')}
          error={error}
          onRetry={() => Promise.all([overdue.refetch(), today.refetch()])}
        />
      ) : isPhone ? (
        <PhoneList<FollowUp>
          items={rows}
          loading={loading}
          empty={t('followUps.none')}
          rowKey={(f) => f.id}
          render={(f) => (
            <PhoneCard
              testId="follow-up-card"
              title={<Link to={`/clients/${f.customerId}`}>{f.customerName ?? '—'}</Link>}
              tags={dueTag(f)}
              // The main action first; more actions for the card (记一笔 …) go after it.
              actions={[
                completeButton(f),
                <TelButton key="call" mobile={f.customerMobile} />,
                <LogContactButton key="log" customer={{ id: f.customerId, name: f.customerName ?? '' }} />,
              ]}
            >
              <Typography.Text>{f.title}</Typography.Text>{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`followUps.kinds.${f.kind}`)}
              </Typography.Text>
              <Fact label={t('followUps.columns.due')}>{formatDateTime(f.dueAt)}</Fact>
            </PhoneCard>
          )}
        />
      ) : loading ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : (
        <Table<FollowUp>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={rows}
          locale={{ emptyText: t('followUps.none') }}
          scroll={{ x: 520 }}
          columns={[
            {
              key: 'customer',
              title: t('followUps.columns.what'),
              render: (_, f) => (
                <>
                  <Link to={`/clients/${f.customerId}`}>{f.customerName ?? '—'}</Link>
                  <div>
                    <Typography.Text>{f.title}</Typography.Text>{' '}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`followUps.kinds.${f.kind}`)}
                    </Typography.Text>
                  </div>
                </>
              ),
            },
            {
              key: 'due',
              title: t('followUps.columns.due'),
              width: 170,
              render: (_, f) => (
                <>
                  <div>{t('followUps.due', { time: formatDateTime(f.dueAt) })}</div>
                  {dueTag(f)}
                </>
              ),
            },
            { key: 'action', width: 90, align: 'right', render: (_, f) => completeButton(f) },
          ]}
        />
      )}
      <CompleteFollowUpModal followUp={completing} onClose={() => setCompleting(null)} />
    </Card>
  );
}

const silentFilters = { silent: true, sort: 'name' } as const;

// 企业微信 群发 tasks waiting for the butler: WeCom sends nothing until they confirm in the app.
// Shown only while there is one.
function WecomTodoSection() {
  const { t } = useTranslation('today');
  const todo = useQuery({ queryKey: ['wecom', 'todo'], queryFn: todayApi.wecomTodo });
  const items = todo.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card title={t('wecom.title')} size="small" data-testid="wecom-todo">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {items.map((item) => (
          <div key={item.id}>
            <Typography.Text strong>{item.text}</Typography.Text>{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('wecom.created', { time: formatDateTime(item.createdAt) })}
            </Typography.Text>
          </div>
        ))}
        <Typography.Text type="secondary">{todo.data?.howTo}</Typography.Text>
      </Space>
    </Card>
  );
}

// 久未联系: clients past their tier's limit without a reached contact, purchase or survey answer
// (settings.touch.maxDaysByTier), each with 记一笔.
function SilentSection() {
  const { t } = useTranslation('today');
  const { t: tc } = useTranslation();
  const list = useQuery({
    queryKey: [...customerKeys.list(silentFilters), 'first'],
    queryFn: () => customersApi.list({ ...silentFilters, limit: 20 }),
  });
  return (
    <Card title={t('silent.title')} size="small" data-testid="silent-section">
      {list.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <PhoneList<Customer>
          items={list.data?.items ?? []}
          loading={list.isPending}
          empty={t('silent.none')}
          rowKey={(c) => c.id}
          render={(c) => (
            <PhoneCard
              testId="silent-card"
              title={<Link to={`/clients/${c.id}`}>{c.name}</Link>}
              tags={<TierTag tier={c.tier} />}
              actions={[<TelButton key="call" mobile={c.mobile} />, <LogContactButton key="log" customer={c} />]}
            >
              <Fact label={t('silent.lastTouch')}>{c.lastTouchAt ? formatDate(c.lastTouchAt) : t('silent.never')}</Fact>
            </PhoneCard>
          )}
        />
      )}
    </Card>
  );
}

const atRiskFilters = { atRisk: true } as const;

function AtRiskSection() {
  const { t } = useTranslation('today');
  const { t: tc } = useTranslation();
  const isPhone = useIsPhone();
  const list = useQuery({
    queryKey: [...customerKeys.list(atRiskFilters), 'first'],
    queryFn: () => customersApi.list({ ...atRiskFilters, limit: 20 }),
  });
  const name = (c: Customer) => (
    <Space size={4} wrap>
      <Link to={`/clients/${c.id}`}>{c.name}</Link>
      <TierTag tier={c.tier} />
    </Space>
  );
  return (
    <Card title={t('atRisk.title')} size="small">
      {list.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={list.error} onRetry={() => list.refetch()} />
      ) : isPhone ? (
        <PhoneList<Customer>
          items={list.data?.items ?? []}
          loading={list.isPending}
          empty={t('atRisk.none')}
          rowKey={(c) => c.id}
          render={(c) => (
            <PhoneCard
              title={<Link to={`/clients/${c.id}`}>{c.name}</Link>}
              tags={<TierTag tier={c.tier} />}
              actions={[<TelButton key="call" mobile={c.mobile} />, <LogContactButton key="log" customer={c} />]}
            >
              <ChurnReason customerId={c.id} />
            </PhoneCard>
          )}
        />
      ) : list.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : (
        <Table<Customer>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={list.data.items}
          locale={{ emptyText: t('atRisk.none') }}
          columns={[
            { key: 'name', title: t('atRisk.columns.customer'), width: 150, render: (_, c) => name(c) },
            { key: 'reason', title: t('atRisk.columns.reason'), render: (_, c) => <ChurnReason customerId={c.id} /> },
          ]}
        />
      )}
    </Card>
  );
}

// The reason comes from the client's metrics, read per row (and cached for the client page).
function ChurnReason({ customerId }: { customerId: string }) {
  const { t } = useTranslation('today');
  const metrics = useQuery({
    queryKey: customerKeys.metrics(customerId),
    queryFn: () => customersApi.metrics(customerId),
  });
  if (metrics.isPending) return <Typography.Text type="secondary">{t('atRisk.reasonLoading')}</Typography.Text>;
  const reasons = metrics.data?.churnRisk.reasons ?? [];
  return (
    <Typography.Text>
      {reasons.length ? reasons.map((r) => r.message).join('；') : t('atRisk.noReason')}
    </Typography.Text>
  );
}

function CareSection() {
  const { t } = useTranslation('today');
  const { t: tc } = useTranslation();
  const isPhone = useIsPhone();
  const care = useQuery({ queryKey: ['care', 'upcoming', 7], queryFn: () => todayApi.upcomingCare(7) });
  const today = shanghaiDay();
  const when = (date: string) => {
    const days = daysUntil(date, today);
    return days <= 0 ? t('care.today') : t('care.inDays', { count: days });
  };
  type Row = {
    key: string;
    date: string;
    calendar: 'solar' | 'lunar';
    festival?: UpcomingCare['festivals'][number];
    birthday?: UpcomingCare['birthdays'][number];
  };
  const rows: Row[] = [
    ...(care.data?.festivals ?? []).map((f) => ({
      key: `f-${f.key}-${f.date}`,
      date: f.date,
      calendar: f.calendar,
      festival: f,
    })),
    ...(care.data?.birthdays ?? []).map((b) => ({
      key: `b-${b.customerId}-${b.date}`,
      date: b.date,
      calendar: b.calendar,
      birthday: b,
    })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  const what = (r: Row) =>
    r.festival ? (
      <Space size={4}>
        <Tag color="red">{t('care.festivals')}</Tag>
        {r.festival.name}
      </Space>
    ) : (
      <Space size={4} wrap>
        <Tag color="magenta">{t('care.birthdays')}</Tag>
        <Link to={`/clients/${r.birthday!.customerId}`}>{r.birthday!.customerName}</Link>
        <TierTag tier={r.birthday!.tier} />
      </Space>
    );
  return (
    <Card title={t('care.title')} size="small">
      {care.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={care.error} onRetry={() => care.refetch()} />
      ) : isPhone ? (
        <PhoneList<Row>
          items={rows}
          loading={care.isPending}
          empty={t('care.none')}
          rowKey={(r) => r.key}
          render={(r) => (
            <PhoneCard title={what(r)} tags={<Typography.Text>{when(r.date)}</Typography.Text>}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDate(`${r.date}T12:00:00+08:00`)} {r.calendar === 'lunar' ? t('care.lunar') : ''}
              </Typography.Text>
            </PhoneCard>
          )}
        />
      ) : care.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Table<Row>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={rows}
          locale={{ emptyText: t('care.none') }}
          columns={[
            {
              key: 'what',
              title: t('care.columns.what'),
              render: (_, r) => what(r),
            },
            {
              key: 'when',
              title: t('care.columns.when'),
              width: 150,
              align: 'right',
              render: (_, r) => (
                <>
                  <div>{when(r.date)}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDate(`${r.date}T12:00:00+08:00`)} {r.calendar === 'lunar' ? t('care.lunar') : ''}
                  </Typography.Text>
                </>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

function LowScoresSection() {
  const { t } = useTranslation('today');
  const { t: tc } = useTranslation();
  const isPhone = useIsPhone();
  const scoreTags = (r: SurveyResponseItem) => (
    <>
      {r.csat !== null && <Tag color={r.csat <= 2 ? 'red' : 'default'}>{t('lowScores.csat', { value: r.csat })}</Tag>}
      {r.nps !== null && <Tag color={r.nps <= 6 ? 'red' : 'default'}>{t('lowScores.nps', { value: r.nps })}</Tag>}
    </>
  );
  const scores = useQuery({ queryKey: ['surveys', 'responses', 'detractor'], queryFn: () => todayApi.lowScores(10) });
  return (
    <Card title={t('lowScores.title')} size="small">
      {scores.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={scores.error} onRetry={() => scores.refetch()} />
      ) : isPhone ? (
        <PhoneList<SurveyResponseItem>
          items={scores.data?.items ?? []}
          loading={scores.isPending}
          empty={t('lowScores.none')}
          rowKey={(r) => r.id}
          render={(r) => (
            <PhoneCard title={<Link to={`/clients/${r.customerId}`}>{r.customerName}</Link>} tags={scoreTags(r)}>
              <Typography.Text type={r.comment ? undefined : 'secondary'}>
                {r.comment || t('lowScores.noComment')}
              </Typography.Text>
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(r.respondedAt)}
                </Typography.Text>
              </div>
            </PhoneCard>
          )}
        />
      ) : scores.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Table<SurveyResponseItem>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={scores.data?.items ?? []}
          locale={{ emptyText: t('lowScores.none') }}
          columns={[
            {
              key: 'who',
              title: t('lowScores.columns.feedback'),
              render: (_, r) => (
                <>
                  <Link to={`/clients/${r.customerId}`}>{r.customerName}</Link>{' '}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(r.respondedAt)}
                  </Typography.Text>
                  <div>{scoreTags(r)}</div>
                  <Typography.Text type={r.comment ? undefined : 'secondary'}>
                    {r.comment || t('lowScores.noComment')}
                  </Typography.Text>
                </>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
