import { createHash, randomBytes, randomInt } from 'node:crypto';

import type { OpenAPIObject } from '@nestjs/swagger';

import { Clock } from '@app/common';

import { buildApiDocument } from '../apps/api/src/openapi';
import { createProduct, customerBody, Team, twoTeams } from './support/factories';
import { FakeWecom } from './support/fake-wecom';
import { FakeWecomCallbacks } from './support/fake-wecom-callbacks';
import { schemaMismatches } from './support/openapi';
import { bootApp, HttpResult, request, TestApp } from './support/test-app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/test-env';

type Json = Record<string, any>;

// The response classes describe what the routes answer: every 2xx response of the document is
// exercised once with real data, and each JSON body is checked against its schema (no property
// missing or undescribed, no wrong type, no null where none is allowed, no value outside an enum).
describe('the OpenAPI document describes the bodies the routes answer', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  let admin: string;
  let ours: Team;
  const problems: string[] = [];
  const answered = new Set<string>();

  // template: the document's path ('/api/v1/customers/{id}'), filled from params.
  const call = async (
    token: string | undefined,
    method: string,
    template: string,
    options: { params?: Record<string, string>; query?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> => {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => options.params![name]);
    const res = await request(t.app, method, `${path}${options.query ? `?${options.query}` : ''}`, {
      token,
      body: options.body ?? (['GET', 'DELETE'].includes(method) ? undefined : {}),
      headers: options.headers,
    });
    const where = `${method} ${template} ${res.status}`;
    const operation = (document.paths[template] as Json | undefined)?.[method.toLowerCase()];
    const response = operation?.responses[String(res.status)];
    if (!response) problems.push(`${where}: not in the document (${res.text.slice(0, 200)})`);
    const schema = response?.content?.['application/json']?.schema;
    if (schema) problems.push(...schemaMismatches(document, res.body, schema, where));
    answered.add(`${method} ${template} ${res.status}`);
    return res;
  };

  let fake: FakeWecom;

  beforeAll(async () => {
    fake = await new FakeWecom().start();
    t = await bootApp({ env: { SMS_CALLBACK_SECRET: 'openapi-bodies-sms-secret', WECOM_BASE_URL: fake.url } });
    document = await buildApiDocument();
    ({ admin, ours } = await twoTeams(t));
  });
  afterAll(async () => {
    // The shared database's settings as other files expect them: WeCom off.
    await t.as(admin).patch('/api/v1/settings', {
      wecom: {
        enabled: false,
        corpId: null,
        agentId: null,
        contactSecret: null,
        agentSecret: null,
        callbackToken: null,
        encodingAesKey: null,
      },
    });
    await t.as(admin).patch(`/api/v1/users/${ours.butler.id}`, { wecomUserId: null });
    await t.close();
    await fake.stop();
  });

  it('for every 2xx response of every operation', async () => {
    const { manager, butler, colleague } = ours;
    const soon = new Date(t.app.get(Clock).now().getTime() + 3_600_000).toISOString();

    // Signing in, users.
    await call(undefined, 'POST', '/api/v1/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    await call(admin, 'GET', '/api/v1/me');
    const user = await call(admin, 'POST', '/api/v1/users', {
      body: {
        email: `openapi-${randomInt(0, 1e9)}@test.local`,
        name: '文档核对',
        role: 'butler',
        managerId: manager.id,
        password: 'password-123',
      },
    });
    await call(admin, 'GET', '/api/v1/users');
    await call(admin, 'GET', '/api/v1/users/{id}', { params: { id: user.body.id } });
    await call(admin, 'PATCH', '/api/v1/users/{id}', { params: { id: user.body.id }, body: { name: '文档核对二' } });
    const throwaway = await t.login(user.body.email, 'password-123');
    await call(throwaway, 'POST', '/api/v1/auth/logout-all');

    // Catalog.
    const product = await call(admin, 'POST', '/api/v1/products', {
      body: {
        sku: `OA-${randomInt(0, 1e9)}`,
        name: '文档酱香 53% 500ml',
        brand: '文档酒厂',
        aroma: 'jiang',
        abv: 53,
        volumeMl: 500,
        priceFen: 99900,
        vintage: 2015,
      },
    });
    const other = await createProduct(t, admin, { aroma: 'jiang', priceFen: 120000 });
    await call(butler.token, 'GET', '/api/v1/products');
    await call(butler.token, 'GET', '/api/v1/products/{id}', { params: { id: product.body.id } });
    await call(admin, 'PATCH', '/api/v1/products/{id}', { params: { id: product.body.id }, body: { series: '年份' } });

    // A client and what hangs off it.
    const client = await call(butler.token, 'POST', '/api/v1/customers', {
      body: customerBody({ email: `openapi-${randomInt(0, 1e9)}@example.com` }),
    });
    const id = client.body.id as string;
    const plain = await call(butler.token, 'POST', '/api/v1/customers', {
      body: { name: '简单客户', tier: 'regular', consent: { greetings: false, surveys: false, source: 'store' } },
    });
    await call(butler.token, 'GET', '/api/v1/customers', { query: 'limit=5' });
    await call(butler.token, 'GET', '/api/v1/customers/{id}', { params: { id } });
    await call(butler.token, 'PATCH', '/api/v1/customers/{id}', { params: { id }, body: { city: '重庆' } });
    await call(butler.token, 'GET', '/api/v1/customers/{id}/taste-profile', { params: { id: plain.body.id } });
    await call(butler.token, 'PUT', '/api/v1/customers/{id}/taste-profile', {
      params: { id },
      body: {
        aromas: [{ type: 'jiang', weight: 0.9 }],
        abvRange: [50, 54],
        priceRangeFen: [80000, 200000],
        brands: ['文档酒厂'],
        occasions: ['gifting'],
        notes: '',
      },
    });
    const order = {
      orderRef: `OA-${randomInt(0, 1e9)}`,
      channel: 'store',
      purchasedAt: new Date(Date.now() - 86_400_000).toISOString(),
      items: [{ productId: product.body.id, quantity: 2, unitPriceFen: 99900 }],
    };
    const purchase = await call(butler.token, 'POST', '/api/v1/customers/{customerId}/purchases', {
      params: { customerId: id },
      body: order,
    });
    await call(butler.token, 'POST', '/api/v1/customers/{customerId}/purchases', {
      params: { customerId: id },
      body: order,
    });
    await call(butler.token, 'GET', '/api/v1/customers/{customerId}/purchases', { params: { customerId: id } });
    await call(butler.token, 'GET', '/api/v1/customers/{id}/metrics', { params: { id } });
    await call(butler.token, 'GET', '/api/v1/customers/{id}/metrics', { params: { id: plain.body.id } });
    expect(other.id).toBeDefined();
    await call(butler.token, 'GET', '/api/v1/customers/{id}/recommendations', { params: { id } });

    // Follow-ups, and a survey answered.
    const followUp = await call(manager.token, 'POST', '/api/v1/follow-ups', {
      body: { customerId: id, butlerId: butler.id, dueAt: soon, kind: 'manual', note: '回访' },
    });
    await call(manager.token, 'GET', '/api/v1/follow-ups', { query: `customerId=${id}` });
    await call(butler.token, 'GET', '/api/v1/follow-ups/{id}', { params: { id: followUp.body.id } });
    await call(manager.token, 'PATCH', '/api/v1/follow-ups/{id}', {
      params: { id: followUp.body.id },
      body: { dueAt: soon },
    });
    const done = await call(butler.token, 'POST', '/api/v1/follow-ups/{id}/complete', {
      params: { id: followUp.body.id },
      body: { outcome: 'reached', channel: 'phone', note: '已开瓶' },
    });
    expect(done.body.survey).toMatchObject({ invited: true });
    // The link the email would carry, without waiting for the dispatcher and the mail.
    const token = randomBytes(32).toString('base64url');
    await t.db.query(
      `UPDATE survey_invitations
        SET status = 'sent', token_hash = $1, sent_at = $3, expires_at = $3::timestamptz + interval '1 day'
        WHERE customer_id = $2`,
      // The app's clock, which judges the link (PostgreSQL's differs under a shifted clock).
      [createHash('sha256').update(token).digest(), id, t.app.get(Clock).now()],
    );
    // Answered in the browser the butler signed in with: flagged (rating integrity), then cleared.
    const browser = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
    const signIn = await request(t.app, 'POST', '/api/v1/auth/login', {
      body: { email: butler.email, password: 'password-123' },
      headers: { 'user-agent': browser },
    });
    expect(signIn.status).toBe(200);
    const answer = await request(t.app, 'POST', `/s/${token}`, {
      body: 'csat=4&nps=9&reliability=5&empathy=4&comment=好',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': browser },
    });
    expect(answer.status).toBe(200);
    const results = await call(manager.token, 'GET', '/api/v1/surveys/responses', { query: `customerId=${id}` });
    expect(results.body.items).toHaveLength(1);
    expect(results.body.items[0].integrity.flagged).toBe(true);
    await call(manager.token, 'GET', '/api/v1/surveys/responses', { query: 'flagged=true&theme=other' });
    const cleared = await call(manager.token, 'POST', '/api/v1/surveys/responses/{id}/clear-flag', {
      params: { id: results.body.items[0].id },
      body: { note: '已电话核实，客户本人填写' },
    });
    expect(cleared.status).toBe(200);

    // After-sales.
    const kase = await call(butler.token, 'POST', '/api/v1/cases', {
      body: {
        customerId: id,
        purchaseId: purchase.body.id,
        type: 'quality',
        priority: 'high',
        channel: 'phone',
        summary: '封口渗漏',
      },
    });
    const caseId = { id: kase.body.id as string };
    await call(butler.token, 'GET', '/api/v1/cases', { query: `customerId=${id}` });
    await call(butler.token, 'PATCH', '/api/v1/cases/{id}', { params: caseId, body: { summary: '封口渗漏，已拍照' } });
    await call(butler.token, 'POST', '/api/v1/cases/{id}/notes', { params: caseId, body: { body: '已联系' } });
    await call(butler.token, 'POST', '/api/v1/cases/{id}/transition', { params: caseId, body: { to: 'in_progress' } });
    const resolved = await call(butler.token, 'POST', '/api/v1/cases/{id}/transition', {
      params: caseId,
      body: { to: 'resolved', note: '已换货' },
    });
    expect(resolved.body.survey).toBeDefined();
    await call(butler.token, 'GET', '/api/v1/cases/{id}', { params: caseId });
    await call(manager.token, 'PUT', '/api/v1/reports/comment-themes/{id}', {
      params: caseId,
      body: { themes: [{ key: 'packaging', polarity: 'negative' }] },
    });

    // 记一笔, and the client's history.
    await call(butler.token, 'POST', '/api/v1/customers/{id}/interactions', {
      params: { id },
      body: {
        kind: 'visit',
        outcome: 'reached',
        occurredAt: t.app.get(Clock).now().toISOString(),
        summary: '到府拜访',
        nextFollowUpAt: new Date(t.app.get(Clock).now().getTime() + 86_400_000).toISOString(),
      },
    });
    await call(butler.token, 'GET', '/api/v1/customers/{id}/interactions', { params: { id } });
    await call(butler.token, 'GET', '/api/v1/customers/{customerId}/timeline', { params: { customerId: id } });
    await call(butler.token, 'GET', '/api/v1/messages', { query: `customerId=${id}` });

    // Greetings.
    const template = await call(admin, 'POST', '/api/v1/templates', {
      body: {
        name: `文档模板 ${randomInt(0, 1e9)}`,
        occasion: 'mid_autumn',
        subject: '中秋快乐',
        body: '{{customer.name}}，中秋快乐',
      },
    });
    await call(manager.token, 'GET', '/api/v1/templates');
    await call(manager.token, 'GET', '/api/v1/templates/{id}', { params: { id: template.body.id } });
    await call(admin, 'PATCH', '/api/v1/templates/{id}', {
      params: { id: template.body.id },
      body: { subject: '中秋安康' },
    });
    await call(manager.token, 'GET', '/api/v1/templates/{id}/preview', {
      params: { id: template.body.id },
      query: `customerId=${id}`,
    });
    const campaign = await call(manager.token, 'POST', '/api/v1/greetings/campaigns', {
      body: {
        name: '文档中秋问候',
        occasion: 'mid_autumn',
        templateId: template.body.id,
        sendAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        audience: { scope: 'team', tiers: ['gold'] },
        draft: true,
      },
    });
    await call(manager.token, 'GET', '/api/v1/greetings/campaigns');
    await call(manager.token, 'GET', '/api/v1/greetings/campaigns/{id}', { params: { id: campaign.body.id } });
    await call(manager.token, 'GET', '/api/v1/greetings/campaigns/{id}/preview', { params: { id: campaign.body.id } });
    await call(manager.token, 'PATCH', '/api/v1/greetings/campaigns/{id}', {
      params: { id: campaign.body.id },
      body: { status: 'cancelled' },
    });
    // A campaign that ended with a failed message (written directly: no worker runs here), retried.
    const failing = await call(manager.token, 'POST', '/api/v1/greetings/campaigns', {
      body: {
        name: '文档失败重试',
        occasion: 'mid_autumn',
        templateId: template.body.id,
        sendAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        audience: { scope: 'team' },
        draft: true,
      },
    });
    await t.db.query(
      `UPDATE greeting_campaigns SET status = 'completed_with_failures', planned_at = now(), completed_at = now()
        WHERE id = $1`,
      [failing.body.id],
    );
    await t.db.query(
      `INSERT INTO messages (key, purpose, channel, customer_id, campaign_id, to_address, status, attempts, last_error)
       VALUES ('campaign:' || $1::text || ':' || $2::text, 'greeting', 'email', $2::uuid, $1::uuid, 'x@example.com',
               'failed', 1, '550 mailbox unavailable')`,
      [failing.body.id, id],
    );
    await call(manager.token, 'GET', '/api/v1/greetings/campaigns');
    await call(manager.token, 'POST', '/api/v1/greetings/campaigns/{id}/retry-failed', {
      params: { id: failing.body.id },
    });
    await call(butler.token, 'GET', '/api/v1/care/upcoming', { query: 'days=31' });

    // Relationship survey programs, with a report of five answers (written here as the page would).
    const program = await call(manager.token, 'POST', '/api/v1/survey-programs', {
      body: {
        name: '年度客户满意度调查',
        schedule: { kind: 'window', start: '02-29', end: '02-29' },
        sample: { mode: 'tiers', tiers: [{ tier: 'gold', share: 0.5 }] },
        reminderAfterDays: 7,
        brands: ['茅台'],
      },
    });
    const programId = program.body.id as string;
    await call(manager.token, 'PATCH', '/api/v1/survey-programs/{id}', {
      params: { id: programId },
      body: { name: '年度客户满意度调查（修订）' },
    });
    await call(manager.token, 'GET', '/api/v1/survey-programs/{id}/sample-preview', { params: { id: programId } });
    await call(manager.token, 'POST', '/api/v1/survey-programs/{id}/start', { params: { id: programId } });
    for (let i = 0; i < 5; i++) {
      const c = await t.as(butler.token).post('/api/v1/customers', customerBody());
      const [inv] = await t.db.query(
        `INSERT INTO survey_invitations (customer_id, butler_id, kind, program_id, cycle, tier, status, send_at,
                                         sent_at, expires_at, responded_at, created_at, channel)
         VALUES ($1, $2, 'relationship', $3, 2027, 'gold', 'responded', now(), now(), now() + interval '21 days', now(),
                 now(), 'email') RETURNING id`,
        [c.body.id, butler.id, programId],
      );
      const [res] = await t.db.query(
        `INSERT INTO survey_responses (invitation_id, customer_id, butler_id, csat, nps, reliability, comment,
                                       responded_at, kind)
         VALUES ($1, $2, $3, 4, 9, 4, '', now(), 'relationship') RETURNING id`,
        [inv.id, c.body.id, butler.id],
      );
      await t.db.query(
        `INSERT INTO survey_relationship_answers (response_id, program_id, tier, quality, comparison, compared_brands,
                                                  expect_reliability)
         VALUES ($1, $2, 'gold', 4, 'better', '{茅台}', 5)`,
        [res.id, programId],
      );
    }
    await call(manager.token, 'GET', '/api/v1/survey-programs/{id}/report', { params: { id: programId } });
    await call(manager.token, 'GET', '/api/v1/survey-programs/{id}', { params: { id: programId } });
    await call(manager.token, 'GET', '/api/v1/survey-programs');
    await call(manager.token, 'POST', '/api/v1/survey-programs/{id}/pause', { params: { id: programId } });

    // Calendar.
    await call(butler.token, 'GET', '/api/v1/festivals', { query: 'year=2027' });
    await call(butler.token, 'GET', '/api/v1/holidays', { query: 'year=2027' });
    await call(butler.token, 'GET', '/api/v1/holidays/next-year');
    await call(admin, 'PUT', '/api/v1/holidays/{year}', {
      params: { year: '2099' },
      body: { text: '2099-01-01 holiday 元旦', source: '文档' },
    });
    await call(admin, 'DELETE', '/api/v1/holidays/{year}', { params: { year: '2099' } });

    // Reports.
    await call(manager.token, 'GET', '/api/v1/reports/butlers');
    await call(manager.token, 'GET', '/api/v1/reports/butlers/{id}/trend', { params: { id: butler.id } });
    await call(manager.token, 'GET', '/api/v1/reports/drivers');
    await call(manager.token, 'GET', '/api/v1/reports/churn');
    await call(manager.token, 'GET', '/api/v1/reports/satisfaction', { query: 'groupBy=tier' });
    await call(admin, 'POST', '/api/v1/reports/recompute');
    await call(manager.token, 'POST', '/api/v1/reports/comment-themes/analyze', {
      body: { texts: ['酒很顺口，就是包装有点简陋'] },
    });
    await call(manager.token, 'GET', '/api/v1/reports/comment-themes', { query: 'groupBy=butler' });
    await call(manager.token, 'GET', '/api/v1/reports/root-causes', { query: 'month=2026-11' });
    await call(manager.token, 'GET', '/api/v1/reports/root-causes/{code}/items', {
      params: { code: 'logistics' },
      query: 'month=2026-11',
    });

    // Settings: the same values back.
    const settings = await call(butler.token, 'GET', '/api/v1/settings');
    await call(admin, 'PATCH', '/api/v1/settings', { body: { caps: settings.body.caps } });

    // Import, export, reassignment, audit, deletion.
    const importedMobile = `1${randomInt(3, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
    await call(manager.token, 'POST', '/api/v1/customers/import', {
      body: `name,mobile,butlerEmail\n文档导入,${importedMobile},${butler.email}\n,bad,\n`,
      headers: { 'content-type': 'text/csv; charset=utf-8' },
    });
    await call(manager.token, 'GET', '/api/v1/customers/export');
    for (const kind of ['survey-responses', 'cases', 'follow-ups', 'scorecard'])
      await call(manager.token, 'GET', `/api/v1/exports/${kind}`, { query: 'format=csv' });
    // Outbound webhooks.
    const hook = await call(admin, 'POST', '/api/v1/webhooks', {
      body: { url: 'http://127.0.0.1:9/doc', description: '文档', events: ['case.changed'] },
    });
    await call(admin, 'GET', '/api/v1/webhooks');
    await call(admin, 'GET', '/api/v1/webhooks/deliveries');
    await call(admin, 'PATCH', '/api/v1/webhooks/{id}', { params: { id: hook.body.id }, body: { active: false } });
    await call(admin, 'POST', '/api/v1/webhooks/{id}/rotate-secret', { params: { id: hook.body.id } });
    await call(admin, 'DELETE', '/api/v1/webhooks/{id}', { params: { id: hook.body.id } });
    await call(manager.token, 'POST', '/api/v1/customers/{id}/assign', {
      params: { id },
      body: { butlerId: colleague.id },
    });
    await call(manager.token, 'POST', '/api/v1/customers/bulk-assign', {
      body: { customerIds: [id], butlerId: butler.id },
    });
    await call(manager.token, 'GET', '/api/v1/customers/{id}/audit', { params: { id } });
    await call(butler.token, 'DELETE', '/api/v1/customers/{id}', { params: { id: plain.body.id } });

    // The SMS provider's pushes (nothing of ours in them: answered all the same, as Aliyun expects).
    const sms = { query: 'token=openapi-bodies-sms-secret' };
    await call(undefined, 'POST', '/api/v1/sms/aliyun/receipts', { ...sms, body: [] });
    await call(undefined, 'POST', '/api/v1/sms/aliyun/uplinks', { ...sms, body: [] });
    await call(undefined, 'POST', '/api/v1/sms/tencent/receipts', { ...sms, body: [] });
    await call(undefined, 'POST', '/api/v1/sms/tencent/uplinks', { ...sms, body: [] });
    await call(admin, 'GET', '/api/v1/sms/status');

    // WeCom: the butler's to-do, and the contact sync (WeCom off here: its report says so).
    await call(butler.token, 'GET', '/api/v1/wecom/todo');
    await call(admin, 'POST', '/api/v1/wecom/sync');

    // WeCom: its callback URL (check and an event), the chat toolbar, the hand-over report.
    const keys = { token: 'openapiBodiesToken', encodingAesKey: 'b'.repeat(43), receiveId: fake.corpId };
    const wecomUserId = `openapi-${randomInt(0, 1e9)}`;
    fake.addMember(wecomUserId);
    await t.as(admin).patch('/api/v1/settings', {
      wecom: { ...fake.settings(), callbackToken: keys.token, encodingAesKey: keys.encodingAesKey },
    });
    await t.as(admin).patch(`/api/v1/users/${butler.id}`, { wecomUserId });
    const sender = new FakeWecomCallbacks(keys, () => t.app.get(Clock).now());
    const echo = sender.sign('2026');
    await call(undefined, 'GET', '/api/v1/wecom/callback', {
      query: `${echo.query}&echostr=${encodeURIComponent(echo.encrypt)}`,
    });
    const externalUserId = fake.newExternalUserId();
    const event = sender.sign(
      sender.eventXml({ changeType: 'edit_external_contact', userId: wecomUserId, externalUserId }),
    );
    await call(undefined, 'POST', '/api/v1/wecom/callback', {
      query: event.query,
      body: sender.envelope(event.encrypt),
      headers: { 'content-type': 'text/xml' },
    });
    const page = 'https://crm.example.com/wecom/sidebar';
    await call(undefined, 'POST', '/api/v1/wecom/sidebar/session', {
      body: { code: fake.oauthCode(wecomUserId), url: page },
    });
    await call(butler.token, 'GET', '/api/v1/wecom/sidebar/js-config', { query: `url=${encodeURIComponent(page)}` });
    const linkable = await call(butler.token, 'POST', '/api/v1/customers', { body: customerBody() });
    await call(butler.token, 'POST', '/api/v1/wecom/contacts/{externalUserId}/bind', {
      params: { externalUserId },
      body: { customerId: linkable.body.id },
    });
    await call(butler.token, 'GET', '/api/v1/wecom/contacts/{externalUserId}', { params: { externalUserId } });
    await call(manager.token, 'GET', '/api/v1/wecom/transfers');

    // Operations.
    await call(admin, 'POST', '/api/v1/admin/test-email', { body: { to: 'ops@example.com' } });
    await call(undefined, 'GET', '/health/live');
    await call(undefined, 'GET', '/health/ready');
    await call(undefined, 'GET', '/health');

    expect(problems).toEqual([]);
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Json).flatMap(([method, operation]) =>
        Object.keys((operation as Json).responses)
          .filter((status) => status.startsWith('2'))
          .map((status) => `${method.toUpperCase()} ${path} ${status}`),
      ),
    );
    expect(documented.filter((response) => !answered.has(response))).toEqual([]);
  });
});
