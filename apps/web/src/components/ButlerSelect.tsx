import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useTranslation } from 'react-i18next';

import { http } from '../api/client';
import type { User } from '../api/types';

type Props = Omit<SelectProps<string>, 'options' | 'loading' | 'mode'> & { exclude?: string | readonly string[] };

// Active butlers: a manager's team, an admin every butler (GET /users?role=butler). Butlers may
// not list users: pass enabled = false for them.
export function useButlers(enabled = true) {
  return useQuery({
    queryKey: ['users', 'butlers'],
    queryFn: () => http.get<{ items: User[] }>('/users', { role: 'butler' }),
    select: (data) => data.items.filter((u) => u.active),
    enabled,
    staleTime: 5 * 60_000,
  });
}

// Pick a butler (managers and admins), optionally leaving out the current one(s).
export function ButlerSelect({ exclude, ...props }: Props) {
  const { t } = useTranslation('clients');
  const butlers = useButlers();
  const left = new Set(typeof exclude === 'string' ? [exclude] : (exclude ?? []));
  const options = (butlers.data ?? []).filter((u) => !left.has(u.id)).map((u) => ({ value: u.id, label: u.name }));
  return (
    <Select<string>
      placeholder={t('select.butler')}
      showSearch={{ optionFilterProp: 'label' }}
      {...props}
      options={options}
      loading={butlers.isPending}
    />
  );
}

export default ButlerSelect;
