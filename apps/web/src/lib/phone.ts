// A `tel:` address for a mobile as people type it (+86 138 0013 8000, 138-0013-8000): digits and a
// leading + only; undefined when there is nothing to dial.
export function telHref(mobile: string | null | undefined): string | undefined {
  if (!mobile) return undefined;
  const trimmed = mobile.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 3) return undefined;
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}`;
}

export interface ItemLike {
  productName?: string | null;
  sku?: string | null;
  productId: string;
  quantity: number;
}

// What a purchase was, in one line: "飞天茅台 53% 500ml × 2，五粮液 × 1".
export function itemsLine(items: readonly ItemLike[]): string {
  return items.map((i) => `${i.productName ?? i.sku ?? i.productId} × ${i.quantity}`).join('，');
}
