import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { Role } from '../api/types';
import { useSession } from '../auth/session';

export default function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { hasRole } = useSession();
  const { t } = useTranslation();
  if (!hasRole(...roles)) return <Result status="403" title="403" subTitle={t('forbidden')} />;
  return children;
}
