import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { customerKeys } from '../../api/customers';
import { wecomApi, wecomKeys } from '../../api/wecom';
import { CustomerSelect } from '../../components/CustomerSelect';
import { errorText } from '../../components/formErrors';

// 关联客户: the butler picks which of their clients this WeCom contact is.
export default function LinkStep({ externalUserId }: { externalUserId: string }) {
  const { t } = useTranslation('wecom');
  const client = useQueryClient();
  const [picked, setPicked] = useState<string>();
  const bind = useMutation({
    mutationFn: (customerId: string) => wecomApi.bind(externalUserId, customerId),
    onSuccess: (data) => {
      if (data.customer) client.setQueryData(customerKeys.one(data.customer.id), data.customer);
      client.setQueryData(wecomKeys.contact(externalUserId), data);
    },
  });
  return (
    <Card title={t('link.title')} data-testid="wecom-link">
      <Typography.Paragraph type="secondary">{t('link.hint')}</Typography.Paragraph>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <CustomerSelect style={{ width: '100%' }} value={picked} onChange={(v: string) => setPicked(v)} allowClear />
        {bind.isError && <Alert type="error" showIcon title={errorText(bind.error)} />}
        <Button
          type="primary"
          block
          disabled={!picked}
          loading={bind.isPending}
          onClick={() => picked && bind.mutate(picked)}
          data-testid="wecom-link-submit"
        >
          {t('link.submit')}
        </Button>
      </Space>
    </Card>
  );
}
