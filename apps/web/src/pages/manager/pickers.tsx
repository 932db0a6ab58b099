import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import type { SelectProps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { http, Page } from '../../api/client';
import type { Tier, User } from '../../api/types';

// Small pickers the manager pages and the after-sales board share (kept here, not in
// components/, so these pages do not wait on the shared ones).

export interface CustomerRow {
  id: string;
  name: string;
  mobile: string | null;
  tier: Tier;
  butlerId: string;
  lastPurchaseAt: string | null;
}

// A manager's team (an admin: every butler). Butlers may not list users: pass enabled=false.
export function useButlers(enabled = true) {
  return useQuery({
    queryKey: ['users', 'butlers'],
    queryFn: () => http.get<{ items: User[] }>('/users', { role: 'butler' }),
    select: (data) => data.items.filter((u) => u.active),
    enabled,
    staleTime: 5 * 60_000,
  });
}

type PickerProps = Omit<SelectProps<string>, 'options' | 'mode'>;

export function ButlerSelect(props: PickerProps & { exclude?: string }) {
  const { t } = useTranslation('manager');
  const { exclude, ...rest } = props;
  const butlers = useButlers();
  return (
    <Select<string>
      placeholder={t('pickers.butler')}
      loading={butlers.isPending}
      showSearch={{ optionFilterProp: 'label' }}
      options={(butlers.data ?? []).filter((b) => b.id !== exclude).map((b) => ({ value: b.id, label: b.name }))}
      {...rest}
    />
  );
}

// Type-ahead over GET /customers?q= (name anywhere, mobile from the start).
export function CustomerSelect(props: PickerProps & { onPicked?: (customer: CustomerRow | undefined) => void }) {
  const { t } = useTranslation('manager');
  const { onPicked, onChange, ...rest } = props;
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const found = useQuery({
    queryKey: ['customers', 'pick', q],
    queryFn: () => http.get<Page<CustomerRow>>('/customers', { q: q || undefined, limit: 20 }),
    staleTime: 30_000,
  });
  const items = found.data?.items ?? [];
  return (
    <Select<string>
      placeholder={t('pickers.customer')}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      loading={found.isFetching}
      options={items.map((c) => ({ value: c.id, label: c.mobile ? `${c.name} · ${c.mobile}` : c.name }))}
      onChange={(value, option) => {
        onChange?.(value, option);
        onPicked?.(items.find((c) => c.id === value));
      }}
      {...rest}
    />
  );
}
