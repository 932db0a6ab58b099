import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

import { ERROR_CODES, VALIDATION_RULES } from '@app/common';

import errorsZh from '../apps/web/src/i18n/zh-CN/errors';
import { customerBody, twoTeams, type Team } from './support/factories';
import { bootApp, TestApp } from './support/test-app';

// The error contract: every 4xx body keeps { statusCode, message, error } and adds a domain
// `code`; a validation failure lists its fields with their rules; the console has Chinese text
// for every code and rule the server can answer with.

// Every rule the DTOs declare, by the name class-validator reports it under.
function declaredRules(): Set<string> {
  const storage = getMetadataStorage();
  const all = (storage as unknown as { validationMetadatas: Map<unknown, ValidationMetadata[]> }).validationMetadatas;
  const rules = new Set<string>();
  for (const [target, metadatas] of all) {
    // Configuration classes are checked at boot, not answered to a caller.
    if (typeof target === 'function' && /Config$/.test(target.name)) continue;
    for (const m of metadatas) {
      if (m.type === 'conditionalValidation') continue;
      const named = storage.getTargetValidatorConstraints(m.constraintCls).map((c) => c.name);
      for (const rule of m.type === 'customValidation' ? named : [m.type]) rules.add(rule);
    }
  }
  // The pipe's own: forbidNonWhitelisted answers whitelistValidation, renamed unknownField.
  rules.delete('whitelistValidation');
  rules.add('unknownField');
  return rules;
}

describe('error codes', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;

  beforeAll(async () => {
    t = await bootApp();
    ({ admin, ours } = await twoTeams(t));
  });
  afterAll(async () => {
    await t.close();
  });

  describe('the console has Chinese for everything the server can say', () => {
    it('has text for every error code, and no text for a code the server does not have', () => {
      const codes = Object.keys(ERROR_CODES).sort();
      expect(codes.filter((c) => !(c in errorsZh.codes))).toEqual([]);
      expect(Object.keys(errorsZh.codes).filter((c) => !(c in ERROR_CODES))).toEqual([]);
      for (const text of Object.values(errorsZh.codes)) expect(text).toMatch(/[\u4e00-\u9fff]/);
    });

    it('has text for every field rule, and the server lists every rule its DTOs declare', () => {
      const declared = [...declaredRules()];
      expect(declared.length).toBeGreaterThan(20);
      expect(declared.filter((rule) => !(rule in VALIDATION_RULES))).toEqual([]);
      expect(Object.keys(VALIDATION_RULES).filter((rule) => !(rule in errorsZh.rules))).toEqual([]);
      for (const text of Object.values(errorsZh.rules)) expect(text).toMatch(/[\u4e00-\u9fff]/);
    });
  });

  it('answers a bad mobile with VALIDATION_FAILED naming the field and rule, the message kept', async () => {
    const res = await t
      .as(ours.butler.token)
      .post('/api/v1/customers', customerBody({ mobile: '12345', tier: 'platinum', name: 'x'.repeat(101) }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
    expect(res.body.message).toContain('mobile must be a mainland mobile number (11 digits, 13x-19x)');
    expect(res.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'mobile', code: 'isMobile', params: {} },
        { field: 'tier', code: 'isIn', params: { values: ['regular', 'silver', 'gold', 'black'] } },
        { field: 'name', code: 'maxLength', params: { max: 100 } },
      ]),
    );
  });

  it('names a missing field `required`, a nested one by its path, and an unknown one `unknownField`', async () => {
    const body = customerBody({ consent: { greetings: true, surveys: 'yes', source: 'store' }, colour: 'red' });
    delete body.name;
    const res = await t.as(ours.butler.token).post('/api/v1/customers', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'name', code: 'required', params: {} },
        { field: 'consent.surveys', code: 'isBoolean', params: {} },
        { field: 'colour', code: 'unknownField', params: {} },
      ]),
    );
  });

  it('answers a taken mobile with CUSTOMER_MOBILE_TAKEN', async () => {
    const body = customerBody();
    expect((await t.as(ours.butler.token).post('/api/v1/customers', body)).status).toBe(201);
    const again = await t.as(ours.butler.token).post('/api/v1/customers', { ...body, email: undefined });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      code: 'CUSTOMER_MOBILE_TAKEN',
      message: 'mobile is already used by another client',
    });
  });

  it('answers a butler with open work BUTLER_HAS_OPEN_WORK with the counts', async () => {
    const butler = await t.createUser(admin, { role: 'butler', managerId: ours.manager.id });
    for (let i = 0; i < 2; i++)
      expect((await t.as(butler.token).post('/api/v1/customers', customerBody())).status).toBe(201);
    const res = await t.as(admin).patch(`/api/v1/users/${butler.id}`, { active: false });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'BUTLER_HAS_OPEN_WORK',
      clients: 2,
      followUps: 0,
      cases: 0,
      message: 'This butler still has 2 client(s); reassign them first',
    });
  });

  it('answers a move the case state machine does not allow CASE_TRANSITION_NOT_ALLOWED', async () => {
    const client = (await t.as(ours.butler.token).post('/api/v1/customers', customerBody())).body as { id: string };
    const kase = await t.as(ours.butler.token).post('/api/v1/cases', {
      customerId: client.id,
      type: 'quality',
      priority: 'normal',
      channel: 'phone',
      summary: '封口渗漏',
    });
    expect(kase.status).toBe(201);
    const res = await t.as(ours.butler.token).post(`/api/v1/cases/${kase.body.id}/transition`, { to: 'resolved' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'CASE_TRANSITION_NOT_ALLOWED',
      from: 'open',
      to: 'resolved',
      allowed: ['in_progress'],
      message: 'A case cannot move from open to resolved; allowed: in_progress',
    });
  });

  it('gives Nest and Fastify errors a code from their status', async () => {
    const anonymous = await t.anonymous.get('/api/v1/customers');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHORIZED');
    const butler = await t.as(ours.butler.token).get('/api/v1/users');
    expect(butler.status).toBe(403);
    expect(butler.body.code).toBe('FORBIDDEN');
    const missing = await t.as(ours.butler.token).get('/api/v1/customers/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    const login = await t.anonymous.post('/api/v1/auth/login', { email: 'nobody@test.local', password: 'wrong-pass' });
    expect(login.status).toBe(401);
    expect(login.body.code).toBe('LOGIN_FAILED');
  });

  it('answers a service-checked field (a butler of another team) VALIDATION_FAILED too', async () => {
    const res = await t.as(admin).patch(`/api/v1/users/${ours.manager.id}`, { managerId: ours.manager.id });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'managerId', code: 'emptyUnlessButler', params: {} }],
    });
  });
});
