import { useQuery } from '@tanstack/react-query';
import { Select, Spin, type SelectProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { customersApi, Product } from '../api/customers';
import { formatFen } from '../lib/format';
import { useDebounced } from './useDebounced';

type Props = Omit<SelectProps<string>, 'options' | 'showSearch' | 'onChange'> & {
  onChange?: (value: string) => void;
  // The chosen product (with its list price), e.g. to prefill a unit price.
  onProduct?: (product: Product) => void;
};

// Pick an active catalog product by name, SKU or brand (GET /products?q=&active=true).
export function ProductSelect({ onChange, onProduct, ...props }: Props) {
  const { t } = useTranslation('clients');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const result = useQuery({
    queryKey: ['products', 'select', q],
    queryFn: () => customersApi.products(q || undefined),
    placeholderData: (previous) => previous,
    staleTime: 60_000,
  });
  const options = (result.data?.items ?? []).map((p) => ({
    value: p.id,
    label: `${p.name} · ${formatFen(p.priceFen)}`,
    product: p,
  }));
  return (
    <Select
      placeholder={t('select.product')}
      {...props}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={options}
      notFoundContent={result.isFetching ? <Spin size="small" /> : undefined}
      onChange={(value: string, option) => {
        onChange?.(value);
        const chosen = Array.isArray(option) ? undefined : (option as { product?: Product } | undefined)?.product;
        if (chosen) onProduct?.(chosen);
      }}
    />
  );
}

export default ProductSelect;
