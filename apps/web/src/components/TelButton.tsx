import { PhoneOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

import { telHref } from '../lib/phone';

// 拨打: a tel: link the phone dials; nothing when the client has no number.
export function TelButton({ mobile }: { mobile: string | null | undefined }) {
  const { t } = useTranslation();
  const href = telHref(mobile);
  if (!href) return null;
  return (
    <Button href={href} icon={<PhoneOutlined />} aria-label={t('call', { mobile })}>
      {t('callShort')}
    </Button>
  );
}
