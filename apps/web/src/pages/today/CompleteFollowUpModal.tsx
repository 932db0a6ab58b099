import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, Form, Input, Modal, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { customerKeys } from '../../api/customers';
import {
  CompleteBody,
  CONTACT_CHANNELS,
  FollowUp,
  followUpKeys,
  followUpsApi,
  OUTCOMES,
  RECOVERY_OUTCOMES,
  ROOT_CAUSES,
} from '../../api/follow-ups';
import DateTimePicker from '../../components/DateTimePicker';
import { showApiErrors } from '../../components/formErrors';
import { formatDateTime } from '../../lib/format';
import { shanghaiIso } from '../manager/time';
import { RESCHEDULE_PICKS, ReschedulePick, rescheduleTime, RETRY_OUTCOMES, surveyMessage } from './completeFollowUp';

type Values = Omit<CompleteBody, 'rescheduleTo'> & { pick?: ReschedulePick; customAt?: Dayjs | null };

const isRetry = (outcome: unknown): boolean => (RETRY_OUTCOMES as readonly unknown[]).includes(outcome);

// Complete a follow-up: how it went, through which channel, a note. The API logs the contact and
// may invite the client to a survey; the butler is told which. After 无人接听 or 已留言 the task
// stays open by default, 改约 to a new time (a quick pick or a custom one), unless the butler ends it.
export default function CompleteFollowUpModal({ followUp, onClose }: { followUp: FollowUp | null; onClose(): void }) {
  const { t } = useTranslation('today');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [general, setGeneral] = useState<string[]>([]);
  const outcome = Form.useWatch('outcome', form);
  const pick = Form.useWatch('pick', form);
  const close = Form.useWatch('close', form);
  const retry = isRetry(outcome);
  const keepOpen = retry && !close;
  // A recovery task closed by this call needs its root cause and outcome; the re-survey is optional.
  const recovery = followUp?.kind === 'recovery';
  const closesRecovery = recovery && !keepOpen;

  const complete = useMutation({
    mutationFn: ({ pick, customAt, rootCause, recoveryOutcome, resurvey, ...body }: Values) => {
      const open = isRetry(body.outcome) && !body.close;
      const recoveryFields =
        followUp!.kind === 'recovery' && !open
          ? { rootCause, recoveryOutcome, resurvey: body.outcome === 'reached' ? !!resurvey : undefined }
          : {};
      const rescheduleTo = !open
        ? undefined
        : pick === 'custom'
          ? customAt
            ? shanghaiIso(customAt)
            : undefined
          : pick && rescheduleTime(pick);
      return followUpsApi.complete(followUp!.id, {
        ...body,
        note: body.note?.trim() || undefined,
        close: isRetry(body.outcome) ? !!body.close : undefined,
        rescheduleTo,
        ...recoveryFields,
      });
    },
    onSuccess: (done) => {
      const what =
        done.status === 'open' ? t('complete.rescheduled', { time: formatDateTime(done.dueAt) }) : t('complete.done');
      message.success(`${what}。${surveyMessage(done.survey, t)}`, 6);
      void queryClient.invalidateQueries({ queryKey: followUpKeys.all });
      void queryClient.invalidateQueries({ queryKey: customerKeys.timeline(done.customerId) });
      form.resetFields();
      setGeneral([]);
      onClose();
    },
    onError: (error) => setGeneral(showApiErrors(form, error)),
  });

  return (
    <Modal
      open={!!followUp}
      title={t('complete.title', { name: followUp?.customerName ?? '' })}
      okText={keepOpen ? t('complete.submitReschedule') : t('complete.submit')}
      onOk={() => form.submit()}
      confirmLoading={complete.isPending}
      onCancel={() => {
        setGeneral([]);
        onClose();
      }}
      destroyOnHidden
    >
      {general.length > 0 && <Alert type="error" showIcon title={general.join('；')} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ outcome: 'reached', channel: 'phone', pick: 'tomorrowMorning', close: false }}
        onFinish={(values) => complete.mutate(values)}
      >
        <Form.Item
          name="outcome"
          label={t('complete.outcome')}
          rules={[{ required: true, message: t('complete.outcomeRequired') }]}
        >
          <Radio.Group
            optionType="button"
            // Five choices wrap on a 390 px phone instead of widening the dialog.
            style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
            options={OUTCOMES.map((o) => ({ value: o, label: t(`complete.outcomes.${o}`) }))}
          />
        </Form.Item>
        {retry && (
          <>
            <Form.Item name="pick" label={t('complete.reschedule')} hidden={!!close}>
              <Radio.Group
                optionType="button"
                style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
                options={RESCHEDULE_PICKS.map((p) => ({ value: p, label: t(`complete.picks.${p}`) }))}
              />
            </Form.Item>
            {pick === 'custom' && !close && (
              <Form.Item
                name="customAt"
                label={t('complete.customAt')}
                rules={[{ required: true, message: t('complete.customAtRequired') }]}
              >
                <DateTimePicker />
              </Form.Item>
            )}
            <Form.Item name="close" valuePropName="checked" style={{ marginTop: -8 }}>
              <Checkbox>{t('complete.close')}</Checkbox>
            </Form.Item>
          </>
        )}
        {closesRecovery && (
          <>
            <Form.Item
              name="rootCause"
              label={t('complete.rootCause')}
              rules={[{ required: true, message: t('complete.rootCauseRequired') }]}
            >
              <Select
                data-testid="root-cause"
                placeholder={t('complete.rootCausePlaceholder')}
                options={ROOT_CAUSES.map((c) => ({ value: c, label: t(`complete.rootCauses.${c}`) }))}
              />
            </Form.Item>
            <Form.Item
              name="recoveryOutcome"
              label={t('complete.recoveryOutcome')}
              rules={[{ required: true, message: t('complete.recoveryOutcomeRequired') }]}
            >
              <Radio.Group
                optionType="button"
                style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
                options={RECOVERY_OUTCOMES.map((o) => ({ value: o, label: t(`complete.recoveryOutcomes.${o}`) }))}
              />
            </Form.Item>
            {outcome === 'reached' && (
              <Form.Item name="resurvey" valuePropName="checked" extra={t('complete.resurveyHelp')}>
                <Checkbox>{t('complete.resurvey')}</Checkbox>
              </Form.Item>
            )}
          </>
        )}
        <Form.Item
          name="channel"
          label={t('complete.channel')}
          rules={[{ required: true, message: t('complete.channelRequired') }]}
        >
          <Select options={CONTACT_CHANNELS.map((c) => ({ value: c, label: t(`complete.channels.${c}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('complete.note')}>
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('complete.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
