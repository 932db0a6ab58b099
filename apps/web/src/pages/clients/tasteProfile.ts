import { OCCASIONS, type Occasion, type TasteProfile, type TasteProfileBody } from '../../api/customers';
import { AROMAS, type Aroma } from '../../api/types';
import { parseYuanToFen } from '../../lib/format';

// The editor works in whole percent per aroma (slider 0–100) and in yuan; the API in weights 0–1
// and fen.
export interface TasteFormValues {
  aromas: Record<Aroma, number>;
  abvEnabled: boolean;
  abv: [number, number];
  priceMinYuan?: number | null;
  priceMaxYuan?: number | null;
  brands: string[];
  occasions: Occasion[];
  notes: string;
}

export const DEFAULT_ABV: [number, number] = [42, 53];

const yuanToFen = (yuan: number | null | undefined): number | null =>
  yuan === null || yuan === undefined || !Number.isFinite(yuan) ? null : parseYuanToFen(yuan.toFixed(2));

export function toTasteBody(values: TasteFormValues): TasteProfileBody {
  const min = yuanToFen(values.priceMinYuan);
  const max = yuanToFen(values.priceMaxYuan);
  return {
    aromas: AROMAS.filter((a) => (values.aromas[a] ?? 0) > 0).map((a) => ({
      type: a,
      weight: Math.round(values.aromas[a]) / 100,
    })),
    abvRange: values.abvEnabled ? [Math.min(...values.abv), Math.max(...values.abv)] : null,
    priceRangeFen: min !== null && max !== null ? [Math.min(min, max), Math.max(min, max)] : null,
    brands: [...new Set(values.brands.map((b) => b.trim()).filter(Boolean))],
    occasions: OCCASIONS.filter((o) => values.occasions.includes(o)),
    notes: values.notes ?? '',
  };
}

export function fromTasteProfile(p: TasteProfile | undefined): TasteFormValues {
  const aromas = Object.fromEntries(AROMAS.map((a) => [a, 0])) as Record<Aroma, number>;
  for (const w of p?.aromas ?? []) aromas[w.type] = Math.round(w.weight * 100);
  return {
    aromas,
    abvEnabled: !!p?.abvRange,
    abv: p?.abvRange ?? DEFAULT_ABV,
    priceMinYuan: p?.priceRangeFen ? p.priceRangeFen[0] / 100 : null,
    priceMaxYuan: p?.priceRangeFen ? p.priceRangeFen[1] / 100 : null,
    brands: p?.brands ?? [],
    occasions: p?.occasions ?? [],
    notes: p?.notes ?? '',
  };
}
