import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { Tier } from '../../api/types';

const COLORS: Record<Tier, string> = { regular: 'default', silver: 'blue', gold: 'gold', black: 'purple' };

export function TierTag({ tier }: { tier: Tier }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[tier]}>{t(`tiers.${tier}`)}</Tag>;
}
