// Shapes of the API's JSON the whole console shares (see ../shared/PRODUCT.md). Each area keeps
// the rest next to its pages.

export type Role = 'admin' | 'manager' | 'butler';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  managerId: string | null;
  active: boolean;
}

export const AROMAS = [
  'jiang',
  'nong',
  'qing',
  'mi',
  'feng',
  'jian',
  'zhima',
  'te',
  'chi',
  'yao',
  'laobaigan',
  'fuyu',
] as const;
export type Aroma = (typeof AROMAS)[number];
export const TIERS = ['regular', 'silver', 'gold', 'black'] as const;
export type Tier = (typeof TIERS)[number];
