import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Input, Modal, Segmented, Select, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import {
  POLARITIES,
  Polarity,
  POLARITY_COLORS,
  surveyKeys,
  SurveyResult,
  SurveyResultsQuery,
  surveysApi,
  Theme,
  THEMES,
} from '../../api/surveys';
import { ButlerSelect } from '../../components/ButlerSelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { showApiErrors } from '../../components/formErrors';
import { PhoneCard, PhoneList } from '../../components/PhoneCard';
import { formatDateTime } from '../../lib/format';
import { CommentToCorrect, CorrectThemesModal } from './CorrectThemesModal';

type Integrity = 'all' | 'flagged' | 'clean';

// 评价明细: the team's survey answers, newest first, filtered by butler, rating integrity (可疑),
// comment theme and stance, low scores. A flagged answer shows why, and a manager who checked with
// the client clears it. The filters live in the address, so the scorecard and 评论主题 link here.
export default function SurveyResponsesPage() {
  const { t } = useTranslation('surveys');
  const [params, setParams] = useSearchParams();
  const butlerId = params.get('butlerId') ?? undefined;
  const integrity = (
    params.get('flagged') === 'true' ? 'flagged' : params.get('flagged') === 'false' ? 'clean' : 'all'
  ) as Integrity;
  const theme = (params.get('theme') ?? undefined) as Theme | undefined;
  const polarity = (params.get('polarity') ?? undefined) as Polarity | undefined;
  const detractor = params.get('detractor') === 'true';
  const set = (key: string, value: string | undefined) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const query: SurveyResultsQuery = {
    butlerId,
    flagged: integrity === 'all' ? undefined : integrity === 'flagged',
    theme,
    polarity,
    detractor: detractor || undefined,
    limit: 20,
  };
  const list = useInfiniteQuery({
    queryKey: surveyKeys.responses(query),
    queryFn: ({ pageParam }) => surveysApi.responses({ ...query, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const [clearing, setClearing] = useState<SurveyResult | null>(null);
  const [correcting, setCorrecting] = useState<CommentToCorrect | null>(null);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('responses.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('responses.hint')}</Typography.Text>
      <Flex wrap gap={8} align="center">
        <ButlerSelect
          allowClear
          aria-label={t('responses.butler')}
          placeholder={t('responses.butler')}
          value={butlerId}
          onChange={(v) => set('butlerId', v)}
          style={{ minWidth: 160, flex: '1 1 160px' }}
        />
        <Segmented<Integrity>
          aria-label={t('responses.integrity')}
          value={integrity}
          options={(['all', 'flagged', 'clean'] as const).map((v) => ({
            value: v,
            label: t(`responses.integrityOptions.${v}`),
          }))}
          onChange={(v) => set('flagged', v === 'all' ? undefined : String(v === 'flagged'))}
        />
        <Select<Theme>
          allowClear
          aria-label={t('responses.theme')}
          placeholder={t('responses.theme')}
          value={theme}
          onChange={(v) => set('theme', v)}
          options={THEMES.map((k) => ({ value: k, label: t(`themes.${k}`) }))}
          style={{ minWidth: 130, flex: '1 1 130px' }}
        />
        <Select<Polarity>
          allowClear
          aria-label={t('responses.polarity')}
          placeholder={t('responses.polarity')}
          value={polarity}
          onChange={(v) => set('polarity', v)}
          options={POLARITIES.map((p) => ({ value: p, label: t(`polarities.${p}`) }))}
          style={{ minWidth: 110, flex: '1 1 110px' }}
        />
        <Space size={6}>
          <Switch
            size="small"
            checked={detractor}
            onChange={(on) => set('detractor', on ? 'true' : undefined)}
            aria-label={t('responses.detractorOnly')}
          />
          <Typography.Text>{t('responses.detractorOnly')}</Typography.Text>
        </Space>
      </Flex>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      <PhoneList<SurveyResult>
        items={rows}
        loading={list.isPending}
        empty={t('responses.empty')}
        rowKey={(r) => r.id}
        render={(r) => (
          <ResponseCard
            r={r}
            onClear={() => setClearing(r)}
            onCorrect={() => setCorrecting({ id: r.id, text: r.comment, themes: r.themes })}
          />
        )}
      />
      {list.hasNextPage && (
        <Button block loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {t('responses.more')}
        </Button>
      )}
      <ClearFlagModal row={clearing} onClose={() => setClearing(null)} />
      <CorrectThemesModal comment={correcting} onClose={() => setCorrecting(null)} />
    </Space>
  );
}

function ResponseCard({ r, onClear, onCorrect }: { r: SurveyResult; onClear(): void; onCorrect(): void }) {
  const { t } = useTranslation('surveys');
  const integrity = r.integrity;
  const low = r.csat <= 2 || (r.nps !== null && r.nps <= 6);
  return (
    <PhoneCard
      testId="survey-response"
      title={<Link to={`/clients/${r.customerId}`}>{r.customerName}</Link>}
      tags={
        <>
          {integrity?.flagged && <Tag color="orange">{t('responses.flagged')}</Tag>}
          {integrity && !integrity.flagged && integrity.reasons.length > 0 && (
            <Tag color="blue">{t('responses.cleared')}</Tag>
          )}
          <Tag color={low ? 'red' : r.csat >= 4 ? 'green' : 'default'}>{t('responses.csat', { n: r.csat })}</Tag>
        </>
      }
      actions={[
        r.comment ? (
          <Button
            key="correct"
            size="small"
            onClick={onCorrect}
            aria-label={`${t('responses.correct')} ${r.customerName}`}
          >
            {t('responses.correct')}
          </Button>
        ) : null,
        integrity?.flagged ? (
          <Button
            key="clear"
            size="small"
            type="primary"
            onClick={onClear}
            aria-label={`${t('responses.clear')} ${r.customerName}`}
          >
            {t('responses.clear')}
          </Button>
        ) : null,
      ]}
    >
      <Typography.Text type="secondary">
        {t('responses.butlerLine', { name: r.butlerName, time: formatDateTime(r.respondedAt) })} ·{' '}
        {t(`responses.sources.${r.source}`)} ·{' '}
        {r.nps === null ? t('responses.noNps') : t('responses.nps', { n: r.nps })}
      </Typography.Text>
      <Typography.Paragraph style={{ margin: '6px 0' }}>
        {r.comment || <Typography.Text type="secondary">{t('responses.noComment')}</Typography.Text>}
      </Typography.Paragraph>
      {r.themes.length > 0 && (
        <Flex wrap gap={4}>
          {r.themes.map((x) => (
            <Tag key={x.key} color={POLARITY_COLORS[x.polarity]} style={{ marginInlineEnd: 0 }}>
              {t(`themes.${x.key}`)} · {t(`polarities.${x.polarity}`)}
            </Tag>
          ))}
        </Flex>
      )}
      {integrity && integrity.reasons.length > 0 && (
        <Alert
          style={{ marginTop: 8 }}
          type={integrity.flagged ? 'warning' : 'info'}
          showIcon
          title={integrity.flagged ? t('responses.flaggedTitle') : undefined}
          description={
            <>
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {integrity.reasons.map((reason) => (
                  <li key={reason.code}>{reason.text}</li>
                ))}
              </ul>
              {!integrity.flagged && integrity.clearedAt && (
                <Typography.Text type="secondary">
                  {t('responses.clearedLine', {
                    name: integrity.clearedByName ?? '',
                    time: formatDateTime(integrity.clearedAt),
                    note: integrity.clearNote ?? '',
                  })}
                </Typography.Text>
              )}
            </>
          }
        />
      )}
    </PhoneCard>
  );
}

// 解除标记: the manager says how they checked; the answer counts again (audited).
function ClearFlagModal({ row, onClose }: { row: SurveyResult | null; onClose(): void }) {
  const { t } = useTranslation('surveys');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ note: string }>();
  const [general, setGeneral] = useState<string[]>([]);
  const clear = useMutation({
    mutationFn: (note: string) => surveysApi.clearFlag(row!.id, note),
    onSuccess: () => {
      void message.success(t('responses.clearedToast'));
      setGeneral([]);
      onClose();
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ['surveys'] }),
        queryClient.invalidateQueries({ queryKey: ['reports'] }),
      ]);
    },
    onError: (error) => setGeneral(showApiErrors(form, error)),
  });
  return (
    <Modal
      open={!!row}
      title={t('responses.clearTitle')}
      okText={t('responses.clearOk')}
      onOk={() => form.submit()}
      onCancel={() => {
        setGeneral([]);
        onClose();
      }}
      confirmLoading={clear.isPending}
      destroyOnHidden
    >
      {general.length > 0 && <Alert type="error" showIcon title={general.join('；')} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">
        {t('responses.clearHint', { name: row?.butlerName ?? '' })}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => clear.mutate(v.note.trim())}>
        <Form.Item
          name="note"
          label={t('responses.clearNote')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('responses.clearNoteRequired') }]}
        >
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
