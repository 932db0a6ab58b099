import { twoTeams } from './support/factories';
import { bootApp, TestApp } from './support/test-app';

// PATCH /settings changes the fields it names and leaves the rest of each section as stored.
describe('admin settings', () => {
  let t: TestApp;
  let admin: string;
  let manager: string;
  let before: Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    t = await bootApp();
    const teams = await twoTeams(t);
    admin = teams.admin;
    manager = teams.ours.manager.token;
    before = (await t.as(admin).get('/api/v1/settings')).body;
  });
  afterAll(async () => {
    // Other test files share the database: put back what this one changed.
    await t.as(admin).patch('/api/v1/settings', { surveys: before.surveys, followUps: before.followUps });
    await t.close();
  });

  it('merges one field into its section, keeping the others as stored', async () => {
    const first = await t.as(admin).patch('/api/v1/settings', { surveys: { delayMinutes: 45 } });
    expect(first.status).toBe(200);
    expect(first.body.surveys).toEqual({ ...before.surveys, delayMinutes: 45 });
    const second = await t
      .as(admin)
      .patch('/api/v1/settings', { surveys: { cooldownDays: 30 }, followUps: { dueHour: 15 } });
    expect(second.status).toBe(200);
    expect(second.body.surveys).toEqual({ ...before.surveys, delayMinutes: 45, cooldownDays: 30 });
    expect(second.body.followUps).toEqual({ ...before.followUps, dueHour: 15 });
    expect((await t.as(admin).get('/api/v1/settings')).body).toEqual(second.body);
  });

  it('refuses a null or a bad value naming the field, and changes nothing', async () => {
    const stored = (await t.as(admin).get('/api/v1/settings')).body;
    for (const body of [
      { surveys: { delayMinutes: null } },
      { surveys: { cooldownDays: -1, afterCase: false } },
      { followUps: { cadence: [{ days: 0, title: 'x' }] } },
      { surveys: { colour: 'red' } },
      // A whole section null (found by the fuzz test: it was a 500).
      { channels: null },
      { sms: null },
    ]) {
      const res = await t.as(admin).patch('/api/v1/settings', body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toMatch(
        /surveys\.(delayMinutes|cooldownDays|property colour)|followUps\.cadence\.0\.days|^\["(channels|sms) must be/,
      );
    }
    expect((await t.as(admin).get('/api/v1/settings')).body).toEqual(stored);
  });

  it('is for admins only', async () => {
    expect((await t.as(manager).patch('/api/v1/settings', { surveys: { delayMinutes: 1 } })).status).toBe(403);
  });
});
