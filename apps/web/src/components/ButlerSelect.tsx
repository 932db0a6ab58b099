import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import type { SelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { http } from '../api/client';
import type { User } from '../api/types';

type Props = Omit<SelectProps<string>, 'options' | 'loading'>;

// Pick a butler: a manager sees their team, an admin every butler (GET /users?role=butler).
// Only managers and admins may call it.
export function ButlerSelect(props: Props) {
  const { t } = useTranslation('clients');
  const butlers = useQuery({
    queryKey: ['users', 'butlers'],
    queryFn: () => http.get<{ items: User[] }>('/users', { role: 'butler' }),
    staleTime: 5 * 60_000,
  });
  const options = (butlers.data?.items ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }));
  return <Select placeholder={t('select.butler')} showSearch={{ optionFilterProp: 'label' }} {...props} options={options} loading={butlers.isPending} />;
}

export default ButlerSelect;
