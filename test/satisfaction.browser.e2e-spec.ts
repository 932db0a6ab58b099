import { Clock } from '@app/common';
import { SATISFACTION_COUNTERS } from '@app/surveys';

import { BrowserApp, pickOption, signIn, startBrowserApp, TestBrowser } from './support/browser';
import { TestApp } from './support/test-app';

// A real browser on a shared two-core machine: steps take seconds.
jest.setTimeout(240_000);

const NOW = new Date('2031-03-12T10:00:00+08:00');

// 满意度分析 in chromium: a manager picks the grouping, the survey kind and the period, and reads the
// table (cards on a phone) and the bar chart; small groups say 样本不足.
describe('satisfaction analysis page', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let baseURL: string;
  let env: BrowserApp | undefined;

  beforeAll(async () => {
    ({ t, browser, baseURL } = env = await startBrowserApp());
    t.app.get(Clock).travelTo(NOW);
  });
  afterAll(async () => {
    t?.app.get(Clock).reset();
    await env?.close();
  });

  // The summary rows the surveys library writes with each answer (day and month), as a fixture:
  // the write path itself is test/satisfaction-segments.e2e-spec.ts's.
  async function answers(team: string, dim: string, value: string, n: number, satisfied: number): Promise<void> {
    for (const [grain, period] of [
      ['d', '2031-03-10'],
      ['m', '2031-03-01'],
    ]) {
      await t.db.query(
        `INSERT INTO satisfaction_stats (kind, dim, scope, grain, period, value, invitations, responses, csat_sum,
                                         csat_satisfied, nps_count, nps_promoters, nps_detractors)
         SELECT 'transactional', $1, s, $2, $3, $4, $5 + 2, $5, $5 * 4, $6, $5, $6, $5 - $6
           FROM unnest(ARRAY['*', $7]) s
         -- The whole base's row ('*') may hold other files' answers of that day (one test database).
         ON CONFLICT (kind, dim, scope, grain, period, value) DO UPDATE SET
           invitations = satisfaction_stats.invitations + EXCLUDED.invitations,
           responses = satisfaction_stats.responses + EXCLUDED.responses,
           csat_sum = satisfaction_stats.csat_sum + EXCLUDED.csat_sum,
           csat_satisfied = satisfaction_stats.csat_satisfied + EXCLUDED.csat_satisfied,
           nps_count = satisfaction_stats.nps_count + EXCLUDED.nps_count,
           nps_promoters = satisfaction_stats.nps_promoters + EXCLUDED.nps_promoters,
           nps_detractors = satisfaction_stats.nps_detractors + EXCLUDED.nps_detractors`,
        [dim, grain, period, value, n, satisfied, team],
      );
    }
    expect(SATISFACTION_COUNTERS).toContain('csat_satisfied');
  }

  it('groups by tier and by team on a phone and on a desktop, transactional and relationship apart', async () => {
    const admin = await t.adminToken();
    const manager = await t.createUser(admin, { role: 'manager', name: '赵经理' });
    await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '周管家' });
    expect((await t.as(admin).patch(`/api/v1/users/${manager.id}`, { region: '西南' })).status).toBe(200);
    await answers(manager.id, 'tier', 'gold', 12, 10);
    await answers(manager.id, 'tier', 'black', 8, 5);
    await answers(manager.id, 'tier', 'silver', 3, 3);
    await answers(manager.id, 'team', manager.id, 23, 18);

    const tab = await browser.open('phone', { baseURL });
    await tab.page.clock.setFixedTime(NOW);
    await signIn(tab, manager.email);
    await tab.page.goto('/manager/satisfaction');
    await tab.page.getByRole('heading', { name: '满意度分析' }).waitFor();
    const cards = tab.page.getByTestId('satisfaction-card');
    await cards.filter({ hasText: '黄金' }).waitFor();
    await expect(cards.filter({ hasText: '黄金' }).textContent()).resolves.toContain('83.3%');
    await expect(cards.filter({ hasText: '白银' }).textContent()).resolves.toContain('样本不足');
    await tab.page.getByRole('img', { name: /CSAT/ }).waitFor();
    await tab.screenshot('phone-tier');
    expect(await tab.horizontalOverflow()).toBe(0);

    await pickOption(tab.page, tab.page.getByLabel('分组方式'), '团队');
    await cards.filter({ hasText: '赵经理（西南）' }).waitFor();
    await tab.screenshot('phone-team');

    await tab.page.getByText('关系调查（rNPS）').click();
    await tab.page.getByText(/SERVQUAL 期望差距/).waitFor();
    await expect(cards.filter({ hasText: '赵经理（西南）' }).textContent()).resolves.toContain('样本不足');
    await tab.screenshot('phone-relationship');
    expect(await tab.horizontalOverflow()).toBe(0);
    expect(tab.errors).toEqual([]);

    const desk = await browser.open('desktop', { baseURL });
    await desk.page.clock.setFixedTime(NOW);
    await signIn(desk, manager.email);
    await desk.page.goto('/manager/satisfaction');
    const gold = desk.page.getByRole('row', { name: /黄金/ });
    await gold.waitFor();
    await expect(gold.textContent()).resolves.toContain('83.3%');
    await expect(desk.page.getByRole('row', { name: /白银/ }).textContent()).resolves.toContain('样本不足');
    await desk.page.getByRole('img', { name: /CSAT/ }).waitFor();
    await desk.screenshot('desktop-tier');

    // The scorecard's team roll-up names the team with its region.
    await desk.page.goto('/manager/scorecard');
    await desk.page.getByTestId('team-rollup').filter({ hasText: '赵经理（西南）' }).waitFor();
    expect(desk.errors).toEqual([]);
  });
});
