import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Col, Empty, Flex, Row, Skeleton, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Case, CASE_STATUSES, caseKeys, casesApi, CaseStatus } from '../../api/cases';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { useIsPhone } from '../../layout/useIsPhone';
import { formatDateTime, waitedLabel } from '../../lib/format';
import { CaseDrawer } from './CaseDrawer';
import { CreateCaseModal } from './CreateCaseModal';
import { canDrop, moveButtons } from './transitions';
import { PRIORITY_COLORS, useTransition } from './useTransition';

// 售后: one column per status, cards move by their buttons or by dragging to a legal column.
export default function CasesPage() {
  const { t } = useTranslation('cases');
  const [dragging, setDragging] = useState<Case | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  // Only the cases the SLA worker marked past their time limit (已超时).
  const [breached, setBreached] = useState(false);
  const transition = useTransition();
  const isPhone = useIsPhone();

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Flex wrap gap={8}>
          <ExportMenu kind="cases" />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('create')}
          </Button>
        </Flex>
      </Flex>
      <Flex align="center" gap={8} wrap>
        <Switch checked={breached} onChange={setBreached} aria-label={t('breachedOnly')} data-testid="breached-only" />
        <Typography.Text>{t('breachedOnly')}</Typography.Text>
        {/* A phone has no drag and drop: its cards move by their buttons. */}
        {!isPhone && <Typography.Text type="secondary">{t('dragHint')}</Typography.Text>}
      </Flex>
      <Row gutter={[12, 12]}>
        {CASE_STATUSES.map((status) => (
          <Col key={status} xs={24} md={12} xl={6}>
            <Column
              status={status}
              breached={breached}
              dragging={dragging}
              onDragStart={setDragging}
              onDragEnd={() => setDragging(null)}
              onDrop={(c) => transition.mutate({ id: c.id, to: status })}
              onMove={(c, to) => transition.mutate({ id: c.id, to })}
              moving={transition.isPending ? transition.variables?.id : undefined}
              onOpen={setOpenId}
            />
          </Col>
        ))}
      </Row>
      <CaseDrawer id={openId} onClose={() => setOpenId(null)} />
      <CreateCaseModal open={creating} onClose={() => setCreating(false)} onCreated={(c) => setOpenId(c.id)} />
    </Space>
  );
}

interface ColumnProps {
  status: CaseStatus;
  breached: boolean;
  dragging: Case | null;
  onDragStart(c: Case): void;
  onDragEnd(): void;
  onDrop(c: Case): void;
  onMove(c: Case, to: CaseStatus): void;
  moving: string | undefined;
  onOpen(id: string): void;
}

function Column({ status, breached, dragging, onDragStart, onDragEnd, onDrop, onMove, moving, onOpen }: ColumnProps) {
  const { t } = useTranslation('cases');
  const { t: tc } = useTranslation();
  const [over, setOver] = useState(false);
  const list = useInfiniteQuery({
    queryKey: caseKeys.column(status, breached),
    queryFn: ({ pageParam }) =>
      casesApi.list({ status, limit: 30, cursor: pageParam, ...(breached ? { breached: true } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const cases = list.data?.pages.flatMap((p) => p.items) ?? [];
  const droppable = canDrop(dragging, status);
  const isPhone = useIsPhone();
  return (
    <Card
      size="small"
      title={
        <Space>
          {t(`statuses.${status}`)}
          {/* No count while loading or after a failure: 0 would not be true. */}
          {list.isSuccess && <Badge count={cases.length} showZero color="#8c8c8c" overflowCount={999} />}
        </Space>
      }
      data-testid={`column-${status}`}
      aria-label={t(`statuses.${status}`)}
      role="region"
      styles={{
        body: {
          minHeight: isPhone ? undefined : 120,
          background: droppable ? (over ? '#fff1f0' : '#fafafa') : undefined,
          transition: 'background .2s',
        },
      }}
      style={{ borderColor: droppable ? '#7a1f1f' : undefined, borderStyle: droppable ? 'dashed' : undefined }}
      onDragOver={(e) => {
        if (!droppable) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (dragging && canDrop(dragging, status)) onDrop(dragging);
      }}
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={8}>
        {list.isError && <ErrorAlert title={tc('loadFailed')} error={list.error} onRetry={() => list.refetch()} />}
        {list.isPending && <Skeleton active title={false} paragraph={{ rows: 3 }} />}
        {list.isSuccess &&
          cases.length === 0 &&
          // On a phone the four columns stack: an empty one is a line, not a picture.
          (isPhone ? (
            <Typography.Text type="secondary">{t('empty')}</Typography.Text>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('empty')} />
          ))}
        {cases.map((c) => (
          <CaseCard
            key={c.id}
            c={c}
            busy={moving === c.id}
            onDragStart={onDragStart}
            onDragEnd={onDragEnd}
            onMove={onMove}
            onOpen={onOpen}
          />
        ))}
        {list.hasNextPage && (
          <Button block size="small" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {tc('more')}
          </Button>
        )}
      </Space>
    </Card>
  );
}

function CaseCard({
  c,
  busy,
  onDragStart,
  onDragEnd,
  onMove,
  onOpen,
}: {
  c: Case;
  busy: boolean;
  onDragStart(c: Case): void;
  onDragEnd(): void;
  onMove(c: Case, to: CaseStatus): void;
  onOpen(id: string): void;
}) {
  const { t } = useTranslation('cases');
  return (
    <Card
      size="small"
      draggable={c.allowedTransitions.length > 0}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', c.id);
        e.dataTransfer.effectAllowed = 'move';
        onDragStart(c);
      }}
      onDragEnd={onDragEnd}
      data-testid="case-card"
      style={{ cursor: c.allowedTransitions.length > 0 ? 'grab' : undefined }}
      styles={{ body: { padding: 10 } }}
    >
      <Flex justify="space-between" align="center" gap={4} wrap>
        <Typography.Text strong>{c.customerName ?? '—'}</Typography.Text>
        <Space size={2}>
          <Tag color={PRIORITY_COLORS[c.priority]}>{t(`priorities.${c.priority}`)}</Tag>
          <Tag>{t(`types.${c.type}`)}</Tag>
        </Space>
      </Flex>
      <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: '6px 0' }}>
        {c.summary}
      </Typography.Paragraph>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('openedAgo', { time: formatDateTime(c.openedAt) })}
      </Typography.Text>
      <SlaMarks c={c} />
      <Flex gap={4} wrap style={{ marginTop: 8 }}>
        {moveButtons(c).map((b) => (
          <Button
            key={b.to}
            size="small"
            type={b.primary ? 'primary' : 'default'}
            loading={busy}
            onClick={() => onMove(c, b.to)}
          >
            {t(b.labelKey)}
          </Button>
        ))}
        <Button
          size="small"
          type="link"
          onClick={() => onOpen(c.id)}
          aria-label={`${t('open')} ${c.customerName ?? ''}`}
        >
          {t('open')}
        </Button>
      </Flex>
    </Card>
  );
}

// Ageing while the case waits (已等 3 小时) and the SLA worker's breach mark (已超时, and how far it
// was escalated).
function SlaMarks({ c }: { c: Case }) {
  const { t } = useTranslation('cases');
  const waiting = c.status === 'open' || c.status === 'in_progress';
  if (!waiting && !c.slaBreachedAt) return null;
  return (
    <Flex gap={4} wrap style={{ marginTop: 6 }} data-testid="sla-marks">
      {waiting && <Tag data-testid="case-ageing">{waitedLabel(c.openedAt)}</Tag>}
      {c.slaBreachedAt && (
        <Tag color="red" data-testid="case-breached" title={t('breachedAt', { time: formatDateTime(c.slaBreachedAt) })}>
          {t('breached')}
          {c.slaLevel >= 2 ? ` · ${t(`escalated.${c.slaLevel >= 3 ? 'admin' : 'manager'}`)}` : ''}
        </Tag>
      )}
    </Flex>
  );
}
