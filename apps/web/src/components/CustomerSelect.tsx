import { useQuery } from '@tanstack/react-query';
import { Select, Spin, type SelectProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Customer, customersApi } from '../api/customers';
import { useDebounced } from './useDebounced';

type Props = Omit<SelectProps<string>, 'options' | 'showSearch' | 'filterOption' | 'onSearch'> & {
  butlerId?: string;
  // The whole client picked (or undefined when cleared), e.g. to prefill their butler.
  onPicked?: (customer: Customer | undefined) => void;
};

// Pick a client by name, pinyin initials or the mobile's digits; the API searches (q), never the
// whole book in the browser.
export function CustomerSelect({ butlerId, onPicked, onChange, ...props }: Props) {
  const { t } = useTranslation('clients');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const result = useQuery({
    queryKey: ['customers', 'select', q, butlerId],
    queryFn: () => customersApi.list({ q: q || undefined, butlerId, limit: 20 }),
    placeholderData: (previous) => previous,
  });
  const items = result.data?.items ?? [];
  const options = items.map((c) => ({ value: c.id, label: c.mobile ? `${c.name} · ${c.mobile}` : c.name }));
  return (
    <Select
      placeholder={t('select.customer')}
      {...props}
      onChange={(value, option) => {
        onChange?.(value, option);
        onPicked?.(items.find((c) => c.id === value));
      }}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={options}
      notFoundContent={result.isFetching ? <Spin size="small" /> : undefined}
    />
  );
}

export default CustomerSelect;
