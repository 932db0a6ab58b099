import { randomUUID } from 'node:crypto';

import { Clock } from '@app/common';

import { customerBody } from './support/factories';
import { bootApp, TestApp } from './support/test-app';

describe('users and teams', () => {
  let t: TestApp;
  let admin: string;
  let managerA: { id: string; token: string };
  let managerB: { id: string; token: string };
  let butlerA1: { id: string; token: string };
  let butlerA2: { id: string; token: string };
  let butlerB1: { id: string; token: string };

  const userCount = async () => Number((await t.db.query('SELECT count(*) AS n FROM users'))[0].n);

  beforeAll(async () => {
    t = await bootApp();
    // The dates below (purchases, due dates) are this file's "recently": the app's clock is set to match.
    t.app.get(Clock).travelTo(new Date('2026-12-01T12:00:00+08:00'));
    admin = await t.adminToken();
    managerA = await t.createUser(admin, { role: 'manager' });
    managerB = await t.createUser(admin, { role: 'manager' });
    butlerA1 = await t.createUser(admin, { role: 'butler', managerId: managerA.id });
    butlerA2 = await t.createUser(admin, { role: 'butler', managerId: managerA.id });
    butlerB1 = await t.createUser(admin, { role: 'butler', managerId: managerB.id });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets an admin create a butler in a manager team', async () => {
    const res = await t.as(admin).get(`/api/v1/users/${butlerA1.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'butler', managerId: managerA.id, active: true });
    expect(res.body).not.toHaveProperty('passwordHash');
  });

  it('shows a manager their own team only', async () => {
    const res = await t.as(managerA.token).get('/api/v1/users');
    expect(res.status).toBe(200);
    const ids = (res.body.items as { id: string }[]).map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([butlerA1.id, butlerA2.id, managerA.id]));
    expect(ids).not.toContain(butlerB1.id);
    expect(ids).not.toContain(managerB.id);
  });

  it('answers 404 when a manager or butler asks for someone outside their team', async () => {
    expect((await t.as(managerA.token).get(`/api/v1/users/${butlerB1.id}`)).status).toBe(404);
    expect((await t.as(butlerA1.token).get(`/api/v1/users/${butlerA2.id}`)).status).toBe(404);
    expect((await t.as(butlerA1.token).get(`/api/v1/users/${butlerA1.id}`)).status).toBe(200);
  });

  it('does not let a butler list users, nor anyone but an admin create or change them', async () => {
    const before = await userCount();
    expect((await t.as(butlerA1.token).get('/api/v1/users')).status).toBe(403);
    const create = await t.as(managerA.token).post('/api/v1/users', {
      email: `x-${randomUUID().slice(0, 6)}@test.local`,
      name: 'X',
      role: 'butler',
      managerId: managerA.id,
      password: 'password-123',
    });
    expect(create.status).toBe(403);
    const promote = await t.as(butlerA1.token).patch(`/api/v1/users/${butlerA1.id}`, { role: 'admin' });
    expect(promote.status).toBe(403);
    expect(await userCount()).toBe(before);
    const me = await t.as(butlerA1.token).get('/api/v1/me');
    expect(me.body.role).toBe('butler');
  });

  it('lists every invalid field when creating a user and writes nothing', async () => {
    const before = await userCount();
    const res = await t
      .as(admin)
      .post('/api/v1/users', { email: 'nope', name: '', role: 'chef', password: 'short', isAdmin: true });
    expect(res.status).toBe(400);
    const text = (res.body.message as string[]).join(' | ');
    for (const field of ['email', 'name', 'role', 'password', 'isAdmin']) expect(text).toContain(field);
    expect(await userCount()).toBe(before);
  });

  it('requires a butler to belong to an active manager', async () => {
    const base = { name: '新管家', role: 'butler', password: 'password-123' };
    const noManager = await t
      .as(admin)
      .post('/api/v1/users', { ...base, email: `b-${randomUUID().slice(0, 6)}@test.local` });
    expect(noManager.status).toBe(400);
    expect(noManager.body.message.join(' ')).toContain('managerId');
    const butlerAsManager = await t
      .as(admin)
      .post('/api/v1/users', { ...base, email: `b-${randomUUID().slice(0, 6)}@test.local`, managerId: butlerA2.id });
    expect(butlerAsManager.status).toBe(400);
    expect(butlerAsManager.body.message.join(' ')).toContain('managerId must be an active manager');
    const managerWithManager = await t.as(admin).post('/api/v1/users', {
      ...base,
      role: 'manager',
      email: `m-${randomUUID().slice(0, 6)}@test.local`,
      managerId: managerA.id,
    });
    expect(managerWithManager.status).toBe(400);
  });

  it('answers a duplicate email with 409, case-insensitively, and creates nothing', async () => {
    const email = `dup-${randomUUID().slice(0, 6)}@test.local`;
    const body = { email, name: '重复', role: 'manager', password: 'password-123' };
    expect((await t.as(admin).post('/api/v1/users', body)).status).toBe(201);
    const before = await userCount();
    const again = await t.as(admin).post('/api/v1/users', { ...body, email: email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/email/);
    expect(await userCount()).toBe(before);
  });

  it('moves a butler to another team, and the new manager sees them', async () => {
    const moved = await t.createUser(admin, { role: 'butler', managerId: managerA.id });
    const res = await t.as(admin).patch(`/api/v1/users/${moved.id}`, { managerId: managerB.id });
    expect(res.status).toBe(200);
    expect(res.body.managerId).toBe(managerB.id);
    expect((await t.as(managerB.token).get(`/api/v1/users/${moved.id}`)).status).toBe(200);
    expect((await t.as(managerA.token).get(`/api/v1/users/${moved.id}`)).status).toBe(404);
  });

  it('refuses to turn a manager with a team into a butler', async () => {
    const res = await t.as(admin).patch(`/api/v1/users/${managerA.id}`, { role: 'butler', managerId: managerB.id });
    expect(res.status).toBe(409);
    expect((await t.as(admin).get(`/api/v1/users/${managerA.id}`)).body.role).toBe('manager');
  });

  it(
    'refuses to promote or deactivate a butler who still ' + 'has clients or open follow-ups, naming what is left',
    async () => {
      const butler = await t.createUser(admin, { role: 'butler', managerId: managerA.id });
      const clients: { id: string }[] = [];
      for (let i = 0; i < 2; i++)
        clients.push((await t.as(butler.token).post('/api/v1/customers', customerBody())).body);
      const current = async () => (await t.as(admin).get(`/api/v1/users/${butler.id}`)).body;
      for (const change of [{ role: 'manager' }, { role: 'admin' }, { active: false }]) {
        const res = await t.as(admin).patch(`/api/v1/users/${butler.id}`, change);
        expect(res.status).toBe(409);
        expect(res.body.message).toBe('This butler still has 2 client(s); reassign them first');
      }
      expect(await current()).toMatchObject({ role: 'butler', managerId: managerA.id, active: true });
      // Other changes to the butler are not taking them off the job.
      expect((await t.as(admin).patch(`/api/v1/users/${butler.id}`, { name: '改名管家' })).status).toBe(200);

      // Clients moved away, but a follow-up of a colleague's client still waits for this butler. The
      // API no longer gives a follow-up to anyone but the client's butler; such a row is one from
      // before that rule, written here directly.
      const bulk = await t
        .as(managerA.token)
        .post('/api/v1/customers/bulk-assign', { customerIds: clients.map((c) => c.id), butlerId: butlerA2.id });
      expect(bulk.status).toBe(200);
      const [stray] = await t.db.query(
        `INSERT INTO follow_ups (customer_id, butler_id, kind, title, due_at)
           VALUES ($1, $2, 'manual', '回访', '2026-11-25T10:00:00+08:00') RETURNING id`,
        [clients[0].id, butler.id],
      );
      const followUp = { body: { id: stray.id as string } };
      const stillBusy = await t.as(admin).patch(`/api/v1/users/${butler.id}`, { active: false });
      expect(stillBusy.status).toBe(409);
      expect(stillBusy.body.message).toBe('This butler still has 1 open follow-up(s); reassign them first');

      expect(
        (await t.as(managerA.token).patch(`/api/v1/follow-ups/${followUp.body.id}`, { butlerId: butlerA2.id })).status,
      ).toBe(200);

      // Nor a case a manager handed them on a colleague's client.
      const kase = await t
        .as(butlerA2.token)
        .post('/api/v1/cases', { customerId: clients[1].id, type: 'inquiry', channel: 'phone', summary: '咨询' });
      expect((await t.as(managerA.token).patch(`/api/v1/cases/${kase.body.id}`, { butlerId: butler.id })).status).toBe(
        200,
      );
      const caseLeft = await t.as(admin).patch(`/api/v1/users/${butler.id}`, { role: 'manager', managerId: null });
      expect(caseLeft.status).toBe(409);
      expect(caseLeft.body.message).toBe('This butler still has 1 open case(s); reassign them first');
      expect(
        (await t.as(managerA.token).patch(`/api/v1/cases/${kase.body.id}`, { butlerId: butlerA2.id })).status,
      ).toBe(200);

      // Work nobody can reach any more (a client deleted before deleting cancelled its follow-ups)
      // does not hold them.
      const gone = (await t.as(butler.token).post('/api/v1/customers', customerBody())).body;
      await t
        .as(managerA.token)
        .post('/api/v1/follow-ups', { customerId: gone.id, butlerId: butler.id, dueAt: '2026-11-25T10:00:00+08:00' });
      await t.db.query('UPDATE customers SET deleted_at = now() WHERE id = $1', [gone.id]);
      const off = await t.as(admin).patch(`/api/v1/users/${butler.id}`, { active: false });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
    },
  );

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expect((await t.as(admin).get('/api/v1/users/not-a-uuid')).status).toBe(400);
    expect((await t.as(admin).get(`/api/v1/users/${randomUUID()}`)).status).toBe(404);
  });

  it('lets a user sign in with a password an admin reset', async () => {
    const res = await t.as(admin).patch(`/api/v1/users/${butlerB1.id}`, { password: 'brand-new-password' });
    expect(res.status).toBe(200);
    const email = res.body.email as string;
    expect((await t.anonymous.post('/api/v1/auth/login', { email, password: 'password-123' })).status).toBe(401);
    expect((await t.anonymous.post('/api/v1/auth/login', { email, password: 'brand-new-password' })).status).toBe(200);
  });
});
