import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Tag, Timeline, Typography, type TimelineItemProps } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { customerKeys, customersApi, TimelineEvent } from '../../api/customers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useIsPhone } from '../../layout/useIsPhone';
import { formatDateTime, formatFen } from '../../lib/format';

const COLORS: Record<string, string> = {
  purchase: 'green',
  interaction: 'blue',
  message: 'gray',
  follow_up: 'cyan',
  assignment: 'purple',
  case: 'orange',
  survey_response: 'gold',
  wecom: 'lime',
};

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

// One line describing an event of the timeline, from its type and data.
export function describeEvent(e: TimelineEvent, t: TFunction<'clients'>): string {
  const d = e.data;
  switch (e.type) {
    case 'purchase': {
      const items = Array.isArray(d.items)
        ? (d.items as { name?: string; quantity?: number }[])
            .map((i) => `${i.name ?? ''} × ${i.quantity ?? 0}`)
            .join('，')
        : '';
      const total = formatFen(typeof d.totalFen === 'number' ? d.totalFen : null);
      return `${t('timeline.purchase', { orderRef: str(d.orderRef), total })}${items ? `：${items}` : ''}`;
    }
    case 'interaction': {
      // Who, how and how it went: 电话 · 已接通 · 王管家：…
      const how = [
        t(`timeline.interactionKinds.${str(d.kind)}`, { defaultValue: str(d.kind) }),
        d.outcome ? t(`timeline.outcomes.${str(d.outcome)}`, { defaultValue: str(d.outcome) }) : '',
        str(d.recordedByName) || str(d.butlerName),
      ].filter(Boolean);
      return [how.join(' · '), str(d.summary)].filter(Boolean).join('：');
    }
    case 'message':
      return t('timeline.message', {
        subject: str(d.subject) || str(d.purpose),
        status: t(`timeline.messageStatus.${str(d.status)}`, { defaultValue: str(d.status) }),
      });
    case 'follow_up': {
      const followUp = t('timeline.followUp', { title: str(d.title), due: formatDateTime(str(d.dueAt) || null) });
      const status = t(`timeline.followUpStatus.${str(d.status)}`, { defaultValue: str(d.status) });
      return `${followUp} · ${status}`;
    }
    case 'case':
      return `${str(d.summary)} · ${t(`timeline.caseStatus.${str(d.status)}`, { defaultValue: str(d.status) })}`;
    case 'survey_response':
      // A relationship survey's answer is about the brand (its comment: what the client misses).
      return [
        t(d.kind === 'relationship' ? 'timeline.relationshipSurvey' : 'timeline.survey', {
          csat: str(d.csat) || '—',
          nps: str(d.nps) || '—',
        }),
        str(d.comment),
      ]
        .filter(Boolean)
        .join('：');
    case 'assignment':
      return t('timeline.assignment');
    case 'wecom':
      return t(`timeline.wecomChanges.${str(d.changeType)}`, {
        butler: str(d.butlerName),
        defaultValue: t('timeline.wecomChanges.other'),
      });
    default:
      return '';
  }
}

// Everything that happened with the client, newest first, a page at a time.
export default function ClientTimeline({ customerId }: { customerId: string }) {
  const { t } = useTranslation('clients');
  const { t: tc } = useTranslation();
  const isPhone = useIsPhone();
  const timeline = useInfiniteQuery({
    queryKey: customerKeys.timeline(customerId),
    queryFn: ({ pageParam }) => customersApi.timeline(customerId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = useMemo<TimelineItemProps[]>(
    () =>
      (timeline.data?.pages.flatMap((p) => p.items) ?? []).map((e) => ({
        key: `${e.type}-${e.id}`,
        color: COLORS[e.type] ?? 'gray',
        // On a phone the time goes above the event, so the text gets the screen's width.
        title: isPhone ? undefined : formatDateTime(e.at),
        content: (
          <>
            {isPhone && (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(e.at)}
                </Typography.Text>
              </div>
            )}
            <Tag color={COLORS[e.type]}>{t(`timeline.types.${e.type}`, { defaultValue: e.type })}</Tag>
            <Typography.Text>{describeEvent(e, t)}</Typography.Text>
          </>
        ),
      })),
    [timeline.data, t, isPhone],
  );
  return (
    <Card title={t('timeline.title')} size="small" loading={timeline.isPending}>
      {timeline.isError && (
        <ErrorAlert title={tc('loadFailed')} error={timeline.error} onRetry={() => timeline.refetch()} />
      )}
      {timeline.isError ? null : items.length === 0 && !timeline.isPending ? (
        <Empty description={t('timeline.none')} />
      ) : (
        <Timeline items={items} />
      )}
      {timeline.hasNextPage && (
        <Flex justify="center">
          <Button onClick={() => void timeline.fetchNextPage()} loading={timeline.isFetchingNextPage}>
            {tc('more')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}
