import type { Product, ProductBody } from '../../api/admin';
import type { Aroma } from '../../api/types';
import { parseYuanToFen } from '../../lib/format';

// The product form holds the price as the yuan a person types; the API takes integer fen.
export interface ProductFormValues {
  sku: string;
  name: string;
  brand: string;
  series?: string;
  aroma?: Aroma;
  abv?: number;
  volumeMl?: number;
  price: string;
  vintage?: number | null;
  active: boolean;
}

export const PRODUCT_FORM_FIELDS = [
  'sku',
  'name',
  'brand',
  'series',
  'aroma',
  'abv',
  'volumeMl',
  'price',
  'vintage',
  'active',
] as const;

// "109900" fen → "1099.00": what the price input shows when editing.
export function fenToYuanText(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function productToForm(product?: Product): ProductFormValues {
  if (!product)
    return { sku: '', name: '', brand: '', series: '', price: '', vintage: null, active: true, volumeMl: 500 };
  return {
    sku: product.sku,
    name: product.name,
    brand: product.brand,
    series: product.series ?? '',
    aroma: product.aroma,
    abv: product.abv,
    volumeMl: product.volumeMl,
    price: fenToYuanText(product.priceFen),
    vintage: product.vintage,
    active: product.active,
  };
}

// Throws when the price is not an amount; the form's own rule stops that before submit.
export function formToProductBody(values: ProductFormValues): ProductBody {
  const priceFen = parseYuanToFen(values.price ?? '');
  if (priceFen === null) throw new Error(`not an amount: ${values.price}`);
  return {
    sku: values.sku.trim(),
    name: values.name.trim(),
    brand: values.brand.trim(),
    series: values.series?.trim() ? values.series.trim() : null,
    aroma: values.aroma as Aroma,
    abv: values.abv as number,
    volumeMl: values.volumeMl as number,
    priceFen,
    vintage: values.vintage ?? null,
    active: values.active,
  };
}
