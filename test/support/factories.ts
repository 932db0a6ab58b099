import { randomInt } from 'node:crypto';

import type { TestApp } from './test-app';

export interface Member {
  id: string;
  email: string;
  token: string;
}

export interface Team {
  manager: Member;
  butler: Member;
  colleague: Member; // another butler of the same team
}

// Two teams: "ours" and "theirs", plus the admin token.
export async function twoTeams(t: TestApp): Promise<{ admin: string; ours: Team; theirs: Team }> {
  const admin = await t.adminToken();
  const team = async (): Promise<Team> => {
    const manager = await t.createUser(admin, { role: 'manager' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id });
    const colleague = await t.createUser(admin, { role: 'butler', managerId: manager.id });
    return { manager, butler, colleague };
  };
  return { admin, ours: await team(), theirs: await team() };
}

// A mainland mobile no other test uses (random 8-digit tail in the 15x block).
export function uniqueMobile(): string {
  return `15${randomInt(0, 10)}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

export function customerBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '王建国',
    mobile: uniqueMobile(),
    email: `client-${randomInt(0, 1e9)}@example.com`,
    gender: 'male',
    birthday: { date: '1970-08-15', calendar: 'lunar' },
    city: '成都',
    tier: 'gold',
    tags: ['企业客户'],
    consent: { greetings: true, surveys: true, source: 'store' },
    notes: '喜欢收藏年份酒',
    ...overrides,
  };
}

export async function createProduct(
  t: TestApp,
  admin: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; sku: string; name: string }> {
  const res = await t.as(admin).post('/api/v1/products', {
    sku: `T-${randomInt(0, 1e9)}`,
    name: '测试酱香酒 53% 500ml',
    brand: '测试酒厂',
    aroma: 'jiang',
    abv: 53,
    volumeMl: 500,
    priceFen: 99900,
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`create product failed: ${res.status} ${res.text}`);
  return res.body;
}

// The shipped default template of each occasion (the custom one fits any occasion), by occasion.
export async function defaultTemplateIds(t: TestApp, admin: string): Promise<Map<string, string>> {
  const items = (await t.as(admin).get('/api/v1/templates')).body.items as {
    id: string;
    occasion: string;
    isDefault: boolean;
  }[];
  return new Map(items.filter((x) => x.isDefault).map((x) => [x.occasion, x.id]));
}
