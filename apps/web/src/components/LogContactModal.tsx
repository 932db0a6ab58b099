import { FormOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { CONTACT_KINDS, CONTACT_OUTCOMES, contactsApi, type LogContactBody } from '../api/contacts';
import { customerKeys } from '../api/customers';
import { followUpKeys } from '../api/follow-ups';
import { dayjs, TZ } from '../lib/format';
import { surveyMessage } from '../pages/today/completeFollowUp';
import DateTimePicker from './DateTimePicker';
import { showApiErrors } from './formErrors';

interface Values {
  kind: LogContactBody['kind'];
  outcome: LogContactBody['outcome'];
  summary: string;
  nextFollowUpAt?: Dayjs | null;
}

// 记一笔: how the butler was in touch (电话 by default), how it went (已接通 by default), what was said,
// and optionally when to follow up. On a phone: tap 记一笔, type, tap 保存.
export function LogContactModal({
  customer,
  onClose,
}: {
  customer: { id: string; name: string } | null;
  onClose(): void;
}) {
  const { t } = useTranslation('clients');
  const { t: tt } = useTranslation('today');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [general, setGeneral] = useState<string[]>([]);

  const log = useMutation({
    mutationFn: (v: Values) =>
      contactsApi.log(customer!.id, {
        kind: v.kind,
        outcome: v.outcome,
        summary: v.summary.trim(),
        nextFollowUpAt: v.nextFollowUpAt
          ? dayjs.tz(v.nextFollowUpAt.format('YYYY-MM-DDTHH:mm:00'), TZ).format()
          : undefined,
      }),
    onSuccess: (done) => {
      message.success(`${t('logContact.done')}。${surveyMessage(done.survey, tt)}`, 6);
      void queryClient.invalidateQueries({ queryKey: customerKeys.timeline(done.customerId) });
      void queryClient.invalidateQueries({ queryKey: customerKeys.all });
      void queryClient.invalidateQueries({ queryKey: followUpKeys.all });
      form.resetFields();
      setGeneral([]);
      onClose();
    },
    onError: (error) => setGeneral(showApiErrors(form, error)),
  });

  return (
    <Modal
      open={!!customer}
      title={t('logContact.title', { name: customer?.name ?? '' })}
      okText={t('logContact.submit')}
      onOk={() => form.submit()}
      confirmLoading={log.isPending}
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
        initialValues={{ kind: 'call', outcome: 'reached' }}
        onFinish={(v) => log.mutate(v)}
      >
        <Form.Item name="kind" label={t('logContact.kind')}>
          <Radio.Group
            optionType="button"
            style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
            options={CONTACT_KINDS.map((k) => ({ value: k, label: t(`timeline.interactionKinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="outcome" label={t('logContact.outcome')}>
          <Radio.Group
            optionType="button"
            style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
            options={CONTACT_OUTCOMES.map((o) => ({ value: o, label: t(`timeline.outcomes.${o}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="summary"
          label={t('logContact.summary')}
          rules={[{ required: true, whitespace: true, message: t('logContact.summaryRequired') }]}
        >
          <Input.TextArea
            rows={3}
            maxLength={2000}
            autoFocus
            placeholder={t('logContact.summaryPlaceholder')}
            data-testid="log-contact-summary"
          />
        </Form.Item>
        <Form.Item name="nextFollowUpAt" label={t('logContact.nextFollowUpAt')}>
          <DateTimePicker future />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// The 记一笔 button of a card, a row or the client page, with its dialog.
export function LogContactButton({ customer, block }: { customer: { id: string; name: string }; block?: boolean }) {
  const { t } = useTranslation('clients');
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<FormOutlined />} block={block} onClick={() => setOpen(true)} data-testid="log-contact">
        {t('logContact.button')}
      </Button>
      <LogContactModal customer={open ? customer : null} onClose={() => setOpen(false)} />
    </>
  );
}
