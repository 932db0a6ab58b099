import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { errorText } from './formErrors';

// A failed load or action, said in Chinese (never the API's English), with 重试 when the caller
// can try again (a network failure or a 5xx usually passes).
export function ErrorAlert({
  error,
  title,
  onRetry,
}: {
  error: unknown;
  // A heading above the reason (加载失败); without one the reason is the heading.
  title?: ReactNode;
  onRetry?: () => unknown;
}) {
  const { t } = useTranslation('errors');
  const text = errorText(error);
  return (
    <Alert
      type="error"
      showIcon
      title={title ?? text}
      description={title ? text : undefined}
      action={
        onRetry ? (
          <Button size="small" icon={<ReloadOutlined />} onClick={() => void onRetry()}>
            {t('retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
