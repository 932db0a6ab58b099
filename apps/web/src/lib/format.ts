import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.locale('zh-cn');

// Every calendar rule of the product is in Asia/Shanghai, whatever the browser's zone.
export const TZ = 'Asia/Shanghai';

// Money is integer fen in the API; shown as yuan with two decimals and thousands separators.
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

// "1,099.5" or "1099.50" typed by a person → fen; null when it is not an amount.
export function parseYuanToFen(text: string): number | null {
  const clean = text.replace(/[¥,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  const [yuan, cents = ''] = clean.split('.');
  return Number(yuan) * 100 + Number(cents.padEnd(2, '0'));
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(TZ).format('YYYY-MM-DD HH:mm') : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(TZ).format('YYYY-MM-DD') : '—';
}

// The Asia/Shanghai calendar day of an instant, as YYYY-MM-DD.
export function shanghaiDay(at: Date = new Date()): string {
  return dayjs(at).tz(TZ).format('YYYY-MM-DD');
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(digits)}%`;
}

export { dayjs };

// A template's text as a reader sees it: each {{placeholder}} shown as its name in brackets
// (〔称呼〕，您好), since the stored subject is the template, not what a client received.
export function readableTemplate(text: string, names: Record<string, string>): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, key: string) => (names[key] ? `〔${names[key]}〕` : whole));
}

// How long something has waited (已等 3 小时): minutes under an hour, hours under two days, then days.
export function waitedLabel(since: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(since).getTime()) / 60_000));
  if (minutes < 60) return `已等 ${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `已等 ${hours} 小时`;
  return `已等 ${Math.floor(hours / 24)} 天`;
}
