import type { Dayjs } from 'dayjs';

import type { PurchaseBody, PurchaseChannel } from '../../api/customers';
import { dayjs, parseYuanToFen, TZ } from '../../lib/format';

export interface PurchaseFormValues {
  orderRef: string;
  channel: PurchaseChannel;
  // Wall-clock time as picked; read as Asia/Shanghai whatever the browser's zone.
  purchasedAt: Dayjs;
  items: { productId?: string; quantity?: number | null; unitPriceYuan?: string }[];
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

// A fresh order number for a purchase typed in by hand: POS-YYYYMMDD-XXXXX (Shanghai day).
export function newOrderRef(now: Date = new Date(), random: () => number = Math.random): string {
  const tail = Array.from({ length: 5 }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('');
  return `POS-${dayjs(now).tz(TZ).format('YYYYMMDD')}-${tail}`;
}

// Now, as a Shanghai wall-clock time for the date picker.
export function shanghaiNow(now: Date = new Date()): Dayjs {
  return dayjs(dayjs(now).tz(TZ).format('YYYY-MM-DDTHH:mm:ss'));
}

export function shanghaiOffsetTime(wall: Dayjs): string {
  return dayjs.tz(wall.format('YYYY-MM-DDTHH:mm:ss'), TZ).format('YYYY-MM-DDTHH:mm:ssZ');
}

export function toPurchaseBody(values: PurchaseFormValues): PurchaseBody {
  return {
    orderRef: values.orderRef.trim(),
    channel: values.channel,
    purchasedAt: shanghaiOffsetTime(values.purchasedAt),
    items: values.items.map((item) => ({
      productId: item.productId ?? '',
      quantity: item.quantity ?? 0,
      unitPriceFen: parseYuanToFen(item.unitPriceYuan ?? '') ?? 0,
    })),
  };
}

// Sum of quantity × unit price in fen, for the form's running total; null while a line is incomplete.
export function purchaseTotalFen(items: PurchaseFormValues['items'] | undefined): number | null {
  let total = 0;
  for (const item of items ?? []) {
    const fen = parseYuanToFen(item?.unitPriceYuan ?? '');
    if (fen === null || !item?.quantity) return null;
    total += fen * item.quantity;
  }
  return total;
}

// "items.0.unitPriceFen" → the form's ['items', 0, 'unitPriceYuan'].
export function purchaseFieldName(apiField: string): (string | number)[] | null {
  const item = /^items\.(\d+)\.(\w+)$/.exec(apiField);
  if (item) return ['items', Number(item[1]), item[2] === 'unitPriceFen' ? 'unitPriceYuan' : item[2]];
  if (apiField === 'items') return null;
  return apiField.split('.');
}
