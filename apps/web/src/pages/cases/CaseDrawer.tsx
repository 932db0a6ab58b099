import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { Case, caseKeys, casesApi } from '../../api/cases';
import { useSession } from '../../auth/session';
import { useButlers } from '../../components/ButlerSelect';
import { applyApiErrors } from '../../components/formErrors';
import { formatDateTime } from '../../lib/format';
import { moveButtons } from './transitions';
import { PRIORITY_COLORS, useTransition } from './useTransition';

// One case: what it is about, its SLA times, its notes, and the legal moves (with a note).
export function CaseDrawer({ id, onClose }: { id: string | null; onClose(): void }) {
  const { t } = useTranslation('cases');
  const screens = Grid.useBreakpoint();
  const detail = useQuery({ queryKey: caseKeys.detail(id ?? ''), queryFn: () => casesApi.get(id!), enabled: !!id });
  return (
    <Drawer open={!!id} onClose={onClose} title={t('detail')} size={screens.md ? 560 : '100%'} destroyOnHidden>
      {detail.isPending ? <Skeleton active /> : detail.data ? <CaseDetail c={detail.data} /> : null}
    </Drawer>
  );
}

function CaseDetail({ c }: { c: Case }) {
  const { t } = useTranslation('cases');
  const { hasRole } = useSession();
  const butlers = useButlers(hasRole('manager', 'admin'));
  const butlerName = butlers.data?.find((b) => b.id === c.butlerId)?.name;
  const [moveNote, setMoveNote] = useState('');
  const transition = useTransition();
  const hours = (v: number | null) => (v === null ? t('sla.pending') : t('sla.hours', { value: v }));

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          {
            key: 'customer',
            label: t('fields.customer'),
            children: <Link to={`/clients/${c.customerId}`}>{c.customerName ?? c.customerId}</Link>,
          },
          {
            key: 'status',
            label: t('fields.status'),
            children: <Tag color="geekblue">{t(`statuses.${c.status}`)}</Tag>,
          },
          { key: 'type', label: t('fields.type'), children: t(`types.${c.type}`) },
          {
            key: 'priority',
            label: t('fields.priority'),
            children: <Tag color={PRIORITY_COLORS[c.priority]}>{t(`priorities.${c.priority}`)}</Tag>,
          },
          { key: 'channel', label: t('fields.channel'), children: t(`channels.${c.channel}`) },
          ...(butlerName ? [{ key: 'butler', label: t('fields.butler'), children: butlerName }] : []),
          {
            key: 'summary',
            label: t('fields.summary'),
            children: (
              <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{c.summary}</Typography.Paragraph>
            ),
          },
        ]}
      />
      <Descriptions
        title={t('sla.title')}
        column={{ xs: 1, sm: 2 }}
        size="small"
        items={[
          { key: 'openedAt', label: t('sla.openedAt'), children: formatDateTime(c.openedAt) },
          { key: 'firstResponseAt', label: t('sla.firstResponseAt'), children: formatDateTime(c.firstResponseAt) },
          { key: 'resolvedAt', label: t('sla.resolvedAt'), children: formatDateTime(c.resolvedAt) },
          { key: 'closedAt', label: t('sla.closedAt'), children: formatDateTime(c.closedAt) },
          { key: 'firstResponseHours', label: t('sla.firstResponseHours'), children: hours(c.firstResponseHours) },
          { key: 'resolutionHours', label: t('sla.resolutionHours'), children: hours(c.resolutionHours) },
        ]}
      />
      {c.allowedTransitions.length > 0 && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            aria-label={t('notes.moveNote')}
            placeholder={t('notes.moveNote')}
            value={moveNote}
            onChange={(e) => setMoveNote(e.target.value)}
            autoSize={{ minRows: 1, maxRows: 4 }}
            maxLength={4000}
          />
          <Flex gap={8} wrap>
            {moveButtons(c).map((b) => (
              <Button
                key={b.to}
                type={b.primary ? 'primary' : 'default'}
                loading={transition.isPending && transition.variables?.to === b.to}
                onClick={() =>
                  transition.mutate(
                    { id: c.id, to: b.to, note: moveNote.trim() || undefined },
                    { onSuccess: () => setMoveNote('') },
                  )
                }
              >
                {t(b.labelKey)}
              </Button>
            ))}
          </Flex>
        </Space>
      )}
      <Notes c={c} />
    </Space>
  );
}

function Notes({ c }: { c: Case }) {
  const { t } = useTranslation('cases');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ body: string }>();
  const add = useMutation({
    mutationFn: (body: string) => casesApi.addNote(c.id, body),
    onSuccess: () => {
      form.resetFields();
      void message.success(t('notes.added'));
      return queryClient.invalidateQueries({ queryKey: caseKeys.all });
    },
    onError: (error) => {
      const rest = applyApiErrors(form, error, ['body']);
      if (rest.length) void message.error(rest.join('; '));
    },
  });
  const notes = c.notes ?? [];
  // The API stores a move as "open→in_progress".
  const transitionText = (move: string) => {
    const [from, to] = move.split('→');
    const label = (s: string | undefined) => (s ? t(`statuses.${s}`, { defaultValue: s }) : '');
    return t('notes.transition', { from: label(from), to: label(to) });
  };
  return (
    <div>
      <Typography.Title level={5}>{t('notes.title')}</Typography.Title>
      {notes.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notes.empty')} />
      ) : (
        <Timeline
          items={notes.map((n) => ({
            key: n.id,
            color: n.transition ? 'blue' : 'gray',
            content: (
              <>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(n.createdAt)} · {n.authorName ?? ''}
                  {n.transition ? ` · ${transitionText(n.transition)}` : ''}
                </Typography.Text>
                {n.body && <div style={{ whiteSpace: 'pre-wrap' }}>{n.body}</div>}
              </>
            ),
          }))}
        />
      )}
      <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v.body)}>
        <Form.Item
          name="body"
          label={t('notes.add')}
          rules={[{ required: true, whitespace: true, message: t('notes.placeholder') }]}
        >
          <Input.TextArea placeholder={t('notes.placeholder')} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={4000} />
        </Form.Item>
        <Button htmlType="submit" loading={add.isPending}>
          {t('notes.add')}
        </Button>
      </Form>
    </div>
  );
}
