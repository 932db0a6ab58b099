import { bootApp, request, TestApp } from './support/test-app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/test-env';

describe('auth', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in the initial admin created on first start and returns who they are', async () => {
    const res = await t.anonymous.post('/api/v1/auth/login', {
      email: ADMIN_EMAIL.toUpperCase(),
      password: ADMIN_PASSWORD,
    });
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
    const unknown = await t.anonymous.post('/api/v1/auth/login', {
      email: 'nobody@test.local',
      password: 'whatever-123',
    });
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
    const forged = jwt.sign(
      { sub: '00000000-0000-4000-8000-000000000000', role: 'admin' },
      'some-other-secret-some-other-secret',
    );
    expect((await t.as(forged).get('/api/v1/me')).status).toBe(401);
    const expired = jwt.sign(
      { sub: '00000000-0000-4000-8000-000000000000', role: 'admin', exp: 1 },
      process.env.JWT_SECRET!,
    );
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

// Found by an outside red team: with trustProxy on, X-Forwarded-For chose the address the limit
// counted, so 25 attempts with a rotating header all got 401.
describe('login limits that a client cannot walk past', () => {
  const login = (
    t: TestApp,
    email: string,
    password: string,
    headers: Record<string, string> = {},
    remoteAddress = '10.1.0.1',
  ) => request(t.app, 'POST', '/api/v1/auth/login', { body: { email, password }, headers, remoteAddress });

  it('ignores X-Forwarded-For unless it comes from a configured proxy', async () => {
    const t = await bootApp({ env: { LOGIN_RATE_LIMIT: '5' } });
    try {
      const statuses = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await login(t, ADMIN_EMAIL, 'wrong-password', { 'x-forwarded-for': `203.0.113.${i}` })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      const refused = await login(t, ADMIN_EMAIL, 'wrong-password', { 'x-forwarded-for': '198.51.100.9' });
      expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('behind a configured proxy, counts each forwarded client on its own', async () => {
    const t = await bootApp({ env: { LOGIN_RATE_LIMIT: '2', TRUST_PROXY: '10.1.0.0/16' } });
    try {
      const a = [];
      for (let i = 0; i < 3; i++)
        a.push((await login(t, ADMIN_EMAIL, 'wrong-password', { 'x-forwarded-for': '203.0.113.7' })).status);
      expect(a).toEqual([401, 401, 429]);
      expect((await login(t, ADMIN_EMAIL, ADMIN_PASSWORD, { 'x-forwarded-for': '203.0.113.8' })).status).toBe(200);
      // A hop from outside the proxy list is not believed: the socket's address counts.
      const stranger = [];
      for (let i = 0; i < 3; i++)
        stranger.push(
          (await login(t, ADMIN_EMAIL, 'wrong-password', { 'x-forwarded-for': `198.51.100.${i}` }, '192.0.2.1')).status,
        );
      expect(stranger).toEqual([401, 401, 429]);
    } finally {
      await t.close();
    }
  });

  it('counts failures per account whatever the address, and leaves other accounts alone', async () => {
    const t = await bootApp({ env: { LOGIN_ACCOUNT_FAILURES: '4' } });
    try {
      const admin = await t.adminToken();
      const victim = await t.createUser(admin, {
        role: 'butler',
        managerId: (await t.createUser(admin, { role: 'manager' })).id,
      });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await login(t, victim.email, 'guess-' + i, {}, `10.2.0.${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
      // Even the right password, from a fresh address, while the account is locked.
      const locked = await login(t, victim.email, 'password-123', {}, '10.3.0.1');
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('LOGIN_ACCOUNT_LOCKED');
      expect((await login(t, ADMIN_EMAIL, ADMIN_PASSWORD, {}, '10.2.0.1')).status).toBe(200);
      // Unknown emails are counted the same way (no oracle for which accounts exist).
      for (let i = 0; i < 4; i++) await login(t, 'nobody@test.local', 'x', {}, `10.4.0.${i}`);
      expect((await login(t, 'nobody@test.local', 'x', {}, '10.4.1.1')).status).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('shares the limits between API processes (Redis), and skips them when Redis is away', async () => {
    const prefix = `${process.env.QUEUE_PREFIX}-shared-${Date.now()}`;
    const one = await bootApp({ env: { LOGIN_RATE_LIMIT: '4', QUEUE_PREFIX: prefix } });
    const two = await bootApp({ env: { LOGIN_RATE_LIMIT: '4', QUEUE_PREFIX: prefix } });
    try {
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await login(i % 2 ? two : one, ADMIN_EMAIL, 'wrong-password')).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    } finally {
      await one.close();
      await two.close();
    }
    const noRedis = await bootApp({ env: { REDIS_URL: 'redis://127.0.0.1:1', LOGIN_RATE_LIMIT: '1' } });
    try {
      for (let i = 0; i < 3; i++) expect((await login(noRedis, ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    } finally {
      await noRedis.close();
    }
  });
});

// Found by an outside red team: a token outlived the password it was taken with, and reactivating
// a user revived their old tokens.
describe('sessions end when they should', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await bootApp();
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
  });

  const signIn = async (email: string, password = 'password-123') => {
    const res = await t.anonymous.post('/api/v1/auth/login', { email, password });
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  };

  it('a password change ends the sessions signed in before it, not the next one', async () => {
    const user = await t.createUser(admin, { role: 'manager' });
    const stolen = await signIn(user.email);
    expect((await t.as(admin).patch(`/api/v1/users/${user.id}`, { password: 'new-password-456' })).status).toBe(200);
    expect((await t.as(stolen).get('/api/v1/me')).status).toBe(401);
    expect((await t.as(user.token).get('/api/v1/me')).status).toBe(401);
    const fresh = await signIn(user.email, 'new-password-456');
    expect((await t.as(fresh).get('/api/v1/me')).status).toBe(200);
  });

  it('deactivating and reactivating does not revive old tokens; a role change ends them too', async () => {
    const user = await t.createUser(admin, { role: 'manager' });
    expect((await t.as(admin).patch(`/api/v1/users/${user.id}`, { active: false })).status).toBe(200);
    expect((await t.as(admin).patch(`/api/v1/users/${user.id}`, { active: true })).status).toBe(200);
    expect((await t.as(user.token).get('/api/v1/me')).status).toBe(401);
    const again = await signIn(user.email);
    expect((await t.as(again).get('/api/v1/me')).status).toBe(200);
    expect((await t.as(admin).patch(`/api/v1/users/${user.id}`, { role: 'admin' })).status).toBe(200);
    expect((await t.as(again).get('/api/v1/me')).status).toBe(401);
    // A name change is not a reason to sign anyone out.
    const kept = await signIn(user.email);
    expect((await t.as(admin).patch(`/api/v1/users/${user.id}`, { name: '改个名字' })).status).toBe(200);
    expect((await t.as(kept).get('/api/v1/me')).status).toBe(200);
  });

  it('POST /auth/logout-all signs the caller out everywhere, and only the caller', async () => {
    const user = await t.createUser(admin, { role: 'manager' });
    const phone = await signIn(user.email);
    const other = await t.createUser(admin, { role: 'manager' });
    expect((await t.anonymous.post('/api/v1/auth/logout-all')).status).toBe(401);
    expect((await t.as(phone).post('/api/v1/auth/logout-all')).status).toBe(204);
    expect((await t.as(phone).get('/api/v1/me')).status).toBe(401);
    expect((await t.as(user.token).get('/api/v1/me')).status).toBe(401);
    expect((await t.as(other.token).get('/api/v1/me')).status).toBe(200);
    expect((await t.as(await signIn(user.email)).get('/api/v1/me')).status).toBe(200);
  });
});
