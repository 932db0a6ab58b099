import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/test-env';
import { bootApp, request, TestApp } from './support/test-app';

describe('auth', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in the initial admin created on first start and returns who they are', async () => {
    const res = await t.anonymous.post('/api/v1/auth/login', { email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', user: { email: ADMIN_EMAIL, role: 'admin' } });
    expect(res.body.user.passwordHash).toBeUndefined();

    const me = await t.as(res.body.accessToken).get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', active: true });
    expect(me.body.lastLoginAt).not.toBeNull();
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const wrong = await t.anonymous.post('/api/v1/auth/login', { email: ADMIN_EMAIL, password: 'not-the-password' });
    const unknown = await t.anonymous.post('/api/v1/auth/login', { email: 'nobody@test.local', password: 'whatever-123' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('lists every bad field of a malformed login, and rejects unknown fields', async () => {
    const res = await t.anonymous.post('/api/v1/auth/login', { email: 'not-an-email', password: 42, role: 'admin' });
    expect(res.status).toBe(400);
    const messages = (res.body.message as string[]).join(' | ');
    expect(messages).toMatch(/email must be an email/);
    expect(messages).toMatch(/password must be a string/);
    expect(messages).toMatch(/property role should not exist/);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await request(t.app, 'POST', '/api/v1/auth/login', {
      body: '{"email": "a@b.c", "password":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.statusCode).toBe(400);
  });

  it('rejects missing, forged and expired tokens with 401', async () => {
    expect((await t.anonymous.get('/api/v1/me')).status).toBe(401);
    expect((await t.as('not.a.jwt').get('/api/v1/me')).status).toBe(401);
    const jwt = await import('jsonwebtoken');
    const forged = jwt.sign({ sub: '00000000-0000-4000-8000-000000000000', role: 'admin' }, 'some-other-secret-some-other-secret');
    expect((await t.as(forged).get('/api/v1/me')).status).toBe(401);
    const expired = jwt.sign({ sub: '00000000-0000-4000-8000-000000000000', role: 'admin', exp: 1 }, process.env.JWT_SECRET!);
    expect((await t.as(expired).get('/api/v1/me')).status).toBe(401);
  });

  it('locks a deactivated user out at once, even with a token issued before', async () => {
    const admin = await t.adminToken();
    const manager = await t.createUser(admin, { role: 'manager' });
    expect((await t.as(manager.token).get('/api/v1/me')).status).toBe(200);
    expect((await t.as(admin).patch(`/api/v1/users/${manager.id}`, { active: false })).status).toBe(200);
    expect((await t.as(manager.token).get('/api/v1/me')).status).toBe(401);
    const again = await t.anonymous.post('/api/v1/auth/login', { email: manager.email, password: 'password-123' });
    expect(again.status).toBe(401);
  });
});

describe('login rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp({ env: { LOGIN_RATE_LIMIT: '3' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 after too many attempts from one address, and other addresses still get in', async () => {
    const attempt = (remoteAddress: string, password: string) =>
      request(t.app, 'POST', '/api/v1/auth/login', { body: { email: ADMIN_EMAIL, password }, remoteAddress });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt('10.0.0.7', 'wrong-password')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Even the right password is refused while the address is throttled.
    expect((await attempt('10.0.0.7', ADMIN_PASSWORD)).status).toBe(429);
    expect((await attempt('10.0.0.8', ADMIN_PASSWORD)).status).toBe(200);
  });
});
