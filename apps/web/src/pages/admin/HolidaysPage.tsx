import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { holidayKeys, holidaysApi, scheduleLineErrors, type HolidayItem, type HolidayYear } from '../../api/holidays';
import { useSession } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorText } from '../../components/formErrors';
import { formatDateTime, shanghaiDay } from '../../lib/format';
import { describeLine, weekday } from './holidayLines';

const FIRST_YEAR = 1901;
const LAST_YEAR = 2099;

// The working-day calendar the morning digest and every "working day" rule use. Admins enter the
// State Council's yearly 调休 notice as lines; everyone else reads it.
export default function HolidaysPage() {
  const { t } = useTranslation(['admin', 'common']);
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || Number(shanghaiDay().slice(0, 4));
  const calendar = useQuery({ queryKey: holidayKeys.year(year), queryFn: () => holidaysApi.year(year) });
  const [editing, setEditing] = useState(false);
  const isAdmin = user?.role === 'admin';
  const data = calendar.data;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('holidays.title')}
      </Typography.Title>
      <Space wrap>
        <Typography.Text>{t('holidays.year')}</Typography.Text>
        <InputNumber
          aria-label={t('holidays.year')}
          min={FIRST_YEAR}
          max={LAST_YEAR}
          precision={0}
          value={year}
          onChange={(value) => value && setParams({ year: String(value) }, { replace: true })}
        />
        {data && <SourceTag year={data} />}
      </Space>
      {data?.source === 'statutory' && (
        <Alert
          type="warning"
          showIcon
          title={t('holidays.statutoryOnly', { year })}
          description={t('holidays.statutoryHelp')}
        />
      )}
      {calendar.isError && (
        <ErrorAlert title={t('common:loadFailed')} error={calendar.error} onRetry={() => calendar.refetch()} />
      )}
      <Card
        title={t('holidays.daysTitle', { year })}
        extra={
          isAdmin && data ? (
            <Space wrap>
              <Button type="primary" onClick={() => setEditing(true)}>
                {data.schedule === 'entered' ? t('holidays.edit') : t('holidays.enter')}
              </Button>
              {data.schedule === 'entered' && <ClearButton year={year} />}
            </Space>
          ) : null
        }
      >
        <Table<HolidayItem>
          rowKey="date"
          size="small"
          loading={calendar.isLoading}
          dataSource={data?.items ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('holidays.date'), dataIndex: 'date', render: (date: string) => `${date} ${weekday(date)}` },
            {
              title: t('holidays.kind'),
              dataIndex: 'kind',
              render: (kind: HolidayItem['kind']) => (
                <Tag color={kind === 'holiday' ? 'red' : 'blue'}>{t(`holidays.kinds.${kind}`)}</Tag>
              ),
            },
            { title: t('holidays.name'), dataIndex: 'name', render: (name: string) => name || '—' },
          ]}
        />
        {data?.reference && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            {t('holidays.reference', {
              reference: data.reference === 'lunar-typescript' ? t('holidays.library') : data.reference,
            })}
            {data.updatedAt ? ` · ${t('updatedAt')} ${formatDateTime(data.updatedAt)}` : ''}
          </Typography.Paragraph>
        )}
      </Card>
      {editing && data && <ScheduleModal year={data} onClose={() => setEditing(false)} />}
    </Space>
  );
}

function SourceTag({ year }: { year: HolidayYear }) {
  const { t } = useTranslation('admin');
  if (year.schedule === 'entered') return <Tag color="green">{t('holidays.sources.entered')}</Tag>;
  if (year.schedule === 'library') return <Tag color="green">{t('holidays.sources.library')}</Tag>;
  return <Tag color="orange">{t('holidays.sources.statutory')}</Tag>;
}

function ClearButton({ year }: { year: number }) {
  const { t } = useTranslation(['admin', 'common']);
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const clear = useMutation({
    mutationFn: () => holidaysApi.clear(year),
    onSuccess: (saved) => {
      queryClient.setQueryData(holidayKeys.year(year), saved);
      void queryClient.invalidateQueries({ queryKey: holidayKeys.nextYear });
      message.success(t('holidays.cleared', { year }));
    },
    onError: (error) => message.error(errorText(error)),
  });
  return (
    <Button
      danger
      loading={clear.isPending}
      onClick={() => {
        modal.confirm({
          title: t('holidays.clearConfirm', { year }),
          okText: t('holidays.clear'),
          okButtonProps: { danger: true },
          onOk: () => clear.mutate(),
        });
      }}
    >
      {t('holidays.clear')}
    </Button>
  );
}

function ScheduleModal({ year, onClose }: { year: HolidayYear; onClose: () => void }) {
  const { t } = useTranslation(['admin', 'common']);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [text, setText] = useState(year.lines || t('holidays.example', { year: year.year }));
  const [source, setSource] = useState(year.schedule === 'entered' ? (year.reference ?? '') : '');
  const [problems, setProblems] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: () => holidaysApi.put(year.year, { text, source: source.trim() || undefined }),
    onSuccess: (saved) => {
      queryClient.setQueryData(holidayKeys.year(year.year), saved);
      void queryClient.invalidateQueries({ queryKey: holidayKeys.nextYear });
      message.success(t('holidays.saved', { year: year.year }));
      onClose();
    },
    onError: (error) => {
      const lines = scheduleLineErrors(error);
      setProblems(lines ? lines.map((line) => describeLine(line, year.year, t)) : [errorText(error)]);
    },
  });
  return (
    <Modal
      open
      title={t('holidays.modalTitle', { year: year.year })}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      confirmLoading={save.isPending}
      onOk={() => {
        setProblems([]);
        save.mutate();
      }}
      onCancel={onClose}
      width={640}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('holidays.help')}
        </Typography.Paragraph>
        {problems.length > 0 && (
          <Alert
            type="error"
            showIcon
            title={t('holidays.invalid')}
            description={
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            }
          />
        )}
        <Input.TextArea
          aria-label={t('holidays.lines')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoSize={{ minRows: 8, maxRows: 18 }}
          style={{ fontFamily: 'monospace' }}
          spellCheck={false}
        />
        <Input
          aria-label={t('holidays.source')}
          placeholder={t('holidays.sourcePlaceholder')}
          value={source}
          maxLength={100}
          onChange={(e) => setSource(e.target.value)}
        />
      </Space>
    </Modal>
  );
}
