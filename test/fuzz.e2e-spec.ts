import { randomInt, randomUUID } from 'node:crypto';

import fc from 'fast-check';
import Handlebars from 'handlebars';

import { Clock } from '@app/common';
import { purposeKey } from '@app/config';

import { listRoutes } from '../apps/api/src/create-api';
import { PLACEHOLDERS } from '../libs/greetings/src/template-rules';
import { unsubscribeToken } from '../libs/greetings/src/unsubscribe-token';
import { QUEUES } from '../libs/queue/src/queue.constants';
import { hashSurveyToken, newSurveyToken } from '../libs/surveys/src/survey-token';
import { createProduct, customerBody, Team, twoTeams, uniqueMobile } from './support/factories';
import {
  changedTables,
  encodeQueryValue,
  fieldPaths,
  FUZZ_SEED,
  hostileQueryValue,
  hostileString,
  hostileValue,
  MALFORMED_JSON,
  messageText,
  namesField,
  queryPart,
  runs,
  SQL_INJECTION,
  storableText,
  TableFingerprint,
  TEMPLATE_INJECTION,
  valueAt,
  withValue,
} from './support/fuzz';
import { bootApp, HttpResult, request, TestApp } from './support/test-app';

// Property-based fuzzing of every write route and every list filter (issue 7). For any input:
// no 5xx; a 400 names the field that was fuzzed; a rejected request changes no row of any table;
// an accepted string is stored as data and read back byte for byte.

interface World {
  admin: string;
  ours: Team;
  theirs: Team;
  productId: string;
  customerId: string;
  theirCustomerId: string;
  purchaseId: string;
  followUpId: string;
  completableFollowUpId: string;
  theirFollowUpId: string;
  caseId: string;
  transitionCaseId: string;
  theirCaseId: string;
  templateId: string;
  campaignId: string;
  theirCampaignId: string;
  programId: string;
  theirProgramId: string;
  spareUser: { id: string; email: string };
  webhookId: string;
  settings: Record<string, unknown>;
}

type Who = 'admin' | 'manager' | 'butler' | 'anonymous';
type Params = Record<string, string>;

interface WriteRoute {
  who: Who;
  // Ids of records the caller may touch; a function so a destructive route gets a fresh record.
  params?: (w: World) => Params | Promise<Params>;
  // Records that exist but are not the caller's: must answer 404 and change nothing.
  foreign?: (w: World) => Params;
  // A valid body; fuzzing replaces one field at a time. No body: the route reads none.
  body?: (w: World) => Record<string, unknown>;
  // The stored record, read back through the API, shaped like the body.
  readBack?: (w: World, res: HttpResult, params: Params) => Promise<unknown>;
  // Fields the API documents as normalised (an SKU is stored upper-case).
  normalized?: Record<string, (sent: string) => string>;
}

const WRITE_ROUTES: Record<string, WriteRoute> = {
  'POST /api/v1/auth/login': {
    who: 'anonymous',
    body: (w) => ({ email: w.spareUser.email, password: 'password-123' }),
  },
  'POST /api/v1/users': {
    who: 'admin',
    body: (w) => ({
      email: `fuzz-${randomUUID().slice(0, 8)}@test.local`,
      name: '模糊测试',
      role: 'butler',
      managerId: w.ours.manager.id,
      password: 'password-123',
    }),
    readBack: (w, res) => get(w.admin, `/api/v1/users/${res.body.id}`),
  },
  'PATCH /api/v1/users/:id': {
    who: 'admin',
    params: (w) => ({ id: w.spareUser.id }),
    body: (w) => ({
      email: w.spareUser.email,
      name: '备用管家',
      role: 'butler',
      managerId: w.ours.manager.id,
      active: true,
      password: 'password-123',
    }),
    readBack: (w, _res, p) => get(w.admin, `/api/v1/users/${p.id}`),
  },
  'POST /api/v1/admin/test-email': { who: 'admin', body: () => ({ to: 'fuzz@example.com' }) },
  // It ends the caller's sessions, the fuzzer's own tokens included: tried as a stranger here (no
  // body is read); auth.e2e-spec tries it signed in.
  'POST /api/v1/auth/logout-all': { who: 'anonymous' },
  // The providers' pushes: without the SMS_CALLBACK_SECRET token (this app has none) every body is a 401
  // that changes nothing; sms.e2e-spec sends them hostile bodies with the token.
  'POST /api/v1/sms/aliyun/receipts': { who: 'anonymous' },
  'POST /api/v1/sms/aliyun/uplinks': { who: 'anonymous' },
  'POST /api/v1/sms/tencent/receipts': { who: 'anonymous' },
  'POST /api/v1/sms/tencent/uplinks': { who: 'anonymous' },
  // WeCom's callback: callbacks are not configured in this app, so every body is a 401 that
  // changes nothing; wecom-edge.e2e-spec sends forged, garbled and replayed ones with them on.
  'POST /api/v1/wecom/callback': { who: 'anonymous' },
  // The chat toolbar's sign-in: WeCom is off here (409); wecom-edge.e2e-spec signs in with it on.
  'POST /api/v1/wecom/sidebar/session': { who: 'anonymous', body: () => ({ code: 'fuzz-oauth-code' }) },
  'POST /api/v1/wecom/contacts/:externalUserId/bind': {
    who: 'butler',
    params: () => ({ externalUserId: 'wmFuzzContact0001' }),
    body: (w) => ({ customerId: w.customerId }),
  },
  'PUT /api/v1/holidays/:year': {
    who: 'admin',
    params: () => ({ year: '2094' }),
    body: () => ({ text: '2094-02-01~2094-02-03 holiday 模糊测试\n2094-02-07 workday 模糊测试', source: '模糊测试' }),
  },
  'DELETE /api/v1/holidays/:year': { who: 'admin', params: () => ({ year: '2094' }) },
  'PATCH /api/v1/settings': {
    who: 'admin',
    body: (w) => structuredClone(w.settings),
    readBack: (w) => get(w.admin, '/api/v1/settings'),
  },
  'POST /api/v1/customers': {
    who: 'butler',
    body: () => customerBody(),
    readBack: (w, res) => get(w.ours.butler.token, `/api/v1/customers/${res.body.id}`),
  },
  'PATCH /api/v1/customers/:id': {
    who: 'butler',
    params: (w) => ({ id: w.customerId }),
    foreign: (w) => ({ id: w.theirCustomerId }),
    body: () => {
      const { butlerId: _, ...rest } = customerBody();
      return rest;
    },
    readBack: (w, _res, p) => get(w.ours.butler.token, `/api/v1/customers/${p.id}`),
  },
  'DELETE /api/v1/customers/:id': {
    who: 'butler',
    params: async (w) => ({ id: (await t.as(w.ours.butler.token).post('/api/v1/customers', customerBody())).body.id }),
    foreign: (w) => ({ id: w.theirCustomerId }),
  },
  'POST /api/v1/customers/bulk-assign': {
    who: 'manager',
    body: (w) => ({ customerIds: [w.customerId], butlerId: w.ours.butler.id }),
  },
  'POST /api/v1/customers/:id/assign': {
    who: 'manager',
    params: (w) => ({ id: w.customerId }),
    foreign: (w) => ({ id: w.theirCustomerId }),
    body: (w) => ({ butlerId: w.ours.butler.id }),
  },
  'PUT /api/v1/customers/:id/taste-profile': {
    who: 'butler',
    params: (w) => ({ id: w.customerId }),
    foreign: (w) => ({ id: w.theirCustomerId }),
    body: () => ({
      aromas: [{ type: 'jiang', weight: 0.9 }],
      abvRange: [50, 54],
      priceRangeFen: [80000, 200000],
      brands: ['贵州茅台'],
      occasions: ['gifting'],
      notes: '喜欢老酒',
    }),
    readBack: (w, _res, p) => get(w.ours.butler.token, `/api/v1/customers/${p.id}/taste-profile`),
  },
  'POST /api/v1/products': {
    who: 'admin',
    body: () => ({
      sku: `FUZZ-${randomInt(0, 1e9)}`,
      name: '模糊测试酒',
      brand: '测试酒厂',
      series: '经典',
      aroma: 'jiang',
      abv: 53,
      volumeMl: 500,
      priceFen: 99900,
      vintage: 2015,
      active: false,
    }),
    readBack: (w, res) => get(w.admin, `/api/v1/products/${res.body.id}`),
    normalized: { sku: (sku) => sku.trim().toUpperCase() },
  },
  'PATCH /api/v1/products/:id': {
    who: 'admin',
    params: (w) => ({ id: w.productId }),
    body: () => ({
      name: '模糊测试酒',
      brand: '测试酒厂',
      series: '经典',
      aroma: 'jiang',
      abv: 53,
      volumeMl: 500,
      priceFen: 99900,
      vintage: 2015,
      active: false,
    }),
    readBack: (w, _res, p) => get(w.admin, `/api/v1/products/${p.id}`),
    normalized: { sku: (sku) => sku.trim().toUpperCase() },
  },
  'POST /api/v1/customers/:customerId/purchases': {
    who: 'butler',
    params: (w) => ({ customerId: w.customerId }),
    foreign: (w) => ({ customerId: w.theirCustomerId }),
    body: (w) => ({
      orderRef: `FUZZ-${randomUUID()}`,
      channel: 'store',
      purchasedAt: '2026-01-01T10:00:00+08:00',
      items: [{ productId: w.productId, quantity: 1, unitPriceFen: 100 }],
    }),
    readBack: async (w, res, p) =>
      (await get(w.ours.butler.token, `/api/v1/customers/${p.customerId}/purchases?limit=200`)).items.find(
        (x: { id: string }) => x.id === res.body.id,
      ),
  },
  'POST /api/v1/follow-ups': {
    who: 'manager',
    body: (w) => ({
      customerId: w.customerId,
      butlerId: w.ours.butler.id,
      dueAt: '2026-12-01T10:00:00+08:00',
      kind: 'manual',
      title: '回访',
      note: '带上样酒',
    }),
    readBack: (w, res) => get(w.ours.manager.token, `/api/v1/follow-ups/${res.body.id}`),
  },
  'PATCH /api/v1/follow-ups/:id': {
    who: 'manager',
    params: (w) => ({ id: w.followUpId }),
    foreign: (w) => ({ id: w.theirFollowUpId }),
    body: (w) => ({ butlerId: w.ours.butler.id, dueAt: '2026-12-02T10:00:00+08:00', title: '回访', note: '改期' }),
    readBack: (w, _res, p) => get(w.ours.manager.token, `/api/v1/follow-ups/${p.id}`),
  },
  'POST /api/v1/follow-ups/:id/complete': {
    who: 'butler',
    params: (w) => ({ id: w.completableFollowUpId }),
    foreign: (w) => ({ id: w.theirFollowUpId }),
    body: () => ({ outcome: 'reached', channel: 'phone', note: '已开瓶，很满意' }),
    // The note is logged as the interaction's summary, after the follow-up's title.
    readBack: async (w, res) => {
      const events = (await get(w.ours.butler.token, `/api/v1/customers/${w.customerId}/timeline?limit=200`)).items;
      const summary: string = events.find((e: { id: string }) => e.id === res.body.interactionId).data.summary;
      return { note: summary === res.body.title ? '' : summary.slice(`${res.body.title}：`.length) };
    },
  },
  'POST /api/v1/customers/:id/interactions': {
    who: 'butler',
    params: (w) => ({ id: w.customerId }),
    foreign: (w) => ({ id: w.theirCustomerId }),
    body: () => ({
      kind: 'call',
      channel: 'phone',
      outcome: 'reached',
      occurredAt: '2026-12-01T09:00:00+08:00',
      summary: '客户来电，约周末品鉴',
    }),
    readBack: async (w, res, p) =>
      (await get(w.ours.butler.token, `/api/v1/customers/${p.id}/interactions?limit=200`)).items.find(
        (x: { id: string }) => x.id === res.body.id,
      ),
  },
  'POST /api/v1/templates': {
    who: 'admin',
    body: () => ({
      name: '模糊测试模板',
      occasion: 'custom',
      subject: '{{customer.salutation}}您好',
      body: '{{customer.salutation}}您好，{{butler.name}}敬上',
      isDefault: false,
      active: true,
    }),
    readBack: (w, res) => get(w.admin, `/api/v1/templates/${res.body.id}`),
  },
  'PATCH /api/v1/templates/:id': {
    who: 'admin',
    params: (w) => ({ id: w.templateId }),
    body: () => ({
      name: '模糊测试模板',
      subject: '{{customer.salutation}}您好',
      body: '{{customer.salutation}}您好，{{butler.name}}敬上',
      isDefault: false,
      active: true,
    }),
    readBack: (w, _res, p) => get(w.admin, `/api/v1/templates/${p.id}`),
  },
  'POST /api/v1/greetings/campaigns': {
    who: 'manager',
    body: (w) => ({
      name: '模糊测试问候',
      occasion: 'custom',
      templateId: w.templateId,
      sendAt: '2099-09-15T09:00:00+08:00',
      audience: { scope: 'team', tiers: ['gold'], tags: ['企业客户'], aromas: ['jiang'] },
      draft: true,
    }),
    readBack: (w, res) => get(w.ours.manager.token, `/api/v1/greetings/campaigns/${res.body.id}`),
  },
  'PATCH /api/v1/greetings/campaigns/:id': {
    who: 'manager',
    params: (w) => ({ id: w.campaignId }),
    foreign: (w) => ({ id: w.theirCampaignId }),
    body: () => ({ status: 'cancelled' }),
  },
  'POST /api/v1/survey-programs': {
    who: 'manager',
    body: () => PROGRAM_BODY,
    readBack: (w, res) => get(w.ours.manager.token, `/api/v1/survey-programs/${res.body.id}`),
  },
  'PATCH /api/v1/survey-programs/:id': {
    who: 'manager',
    params: (w) => ({ id: w.programId }),
    foreign: (w) => ({ id: w.theirProgramId }),
    body: () => ({ name: '模糊测试关系调查', reminderAfterDays: 5, brands: ['茅台'] }),
  },
  // Read no body: a fresh draft each time (starting one changes it).
  'POST /api/v1/survey-programs/:id/start': {
    who: 'manager',
    params: async (w) => ({ id: await newProgram(w.ours) }),
    foreign: (w) => ({ id: w.theirProgramId }),
  },
  'POST /api/v1/survey-programs/:id/pause': {
    who: 'manager',
    params: async (w) => ({ id: await newProgram(w.ours) }),
    foreign: (w) => ({ id: w.theirProgramId }),
  },
  // Reads no body; the campaign is a draft, so a valid call is a 409 that changes nothing.
  'POST /api/v1/greetings/campaigns/:id/retry-failed': {
    who: 'manager',
    params: (w) => ({ id: w.campaignId }),
    foreign: (w) => ({ id: w.theirCampaignId }),
  },
  // Public: the signed token is the credential. A fresh client each time: this one unsubscribes.
  'POST /u/:token': {
    who: 'anonymous',
    params: async (w) => ({
      token: unsubscribeToken(
        purposeKey(process.env.JWT_SECRET!, 'unsubscribe'),
        (await t.as(w.ours.butler.token).post('/api/v1/customers', customerBody())).body.id,
      ),
    }),
  },
  'POST /api/v1/cases': {
    who: 'butler',
    body: (w) => ({
      customerId: w.customerId,
      purchaseId: w.purchaseId,
      type: 'quality',
      priority: 'high',
      channel: 'phone',
      summary: '封口渗漏',
    }),
    readBack: (w, res) => get(w.ours.butler.token, `/api/v1/cases/${res.body.id}`),
  },
  'PATCH /api/v1/cases/:id': {
    who: 'butler',
    params: (w) => ({ id: w.caseId }),
    foreign: (w) => ({ id: w.theirCaseId }),
    body: (w) => ({
      purchaseId: w.purchaseId,
      type: 'quality',
      priority: 'high',
      channel: 'phone',
      summary: '封口渗漏',
    }),
    readBack: (w, _res, p) => get(w.ours.butler.token, `/api/v1/cases/${p.id}`),
  },
  'POST /api/v1/cases/:id/notes': {
    who: 'butler',
    params: (w) => ({ id: w.caseId }),
    foreign: (w) => ({ id: w.theirCaseId }),
    body: () => ({ body: '已联系客户' }),
    readBack: async (w, res, p) =>
      (await get(w.ours.butler.token, `/api/v1/cases/${p.id}`)).notes.find((n: { id: string }) => n.id === res.body.id),
  },
  'POST /api/v1/cases/:id/transition': {
    who: 'butler',
    params: (w) => ({ id: w.transitionCaseId }),
    foreign: (w) => ({ id: w.theirCaseId }),
    body: () => ({ to: 'in_progress', note: '处理中' }),
  },
  'POST /api/v1/reports/recompute': { who: 'admin' },
  'POST /api/v1/reports/comment-themes/analyze': { who: 'manager', body: () => ({ texts: ['口感很好，物流太慢'] }) },
  'PUT /api/v1/reports/comment-themes/:id': {
    who: 'manager',
    params: (w) => ({ id: w.caseId }),
    foreign: (w) => ({ id: w.theirCaseId }),
    body: () => ({ themes: [{ key: 'packaging', polarity: 'negative' }] }),
  },
  // No answer of the fuzz's world is flagged: an unknown id (404) still has its body checked first.
  'POST /api/v1/surveys/responses/:id/clear-flag': {
    who: 'manager',
    params: () => ({ id: randomUUID() }),
    body: () => ({ note: '已电话核实，客户本人填写' }),
  },
  'POST /api/v1/wecom/sync': { who: 'admin' },
  'POST /api/v1/webhooks': {
    who: 'admin',
    body: () => ({ url: 'http://127.0.0.1:9/fuzz', description: '模糊测试', events: ['case.changed'] }),
  },
  'PATCH /api/v1/webhooks/:id': {
    who: 'admin',
    params: (w) => ({ id: w.webhookId }),
    body: () => ({ url: 'http://127.0.0.1:9/fuzz2', description: '改', events: ['survey.answered'], active: true }),
  },
  'POST /api/v1/webhooks/:id/rotate-secret': { who: 'admin', params: (w) => ({ id: w.webhookId }) },
  'DELETE /api/v1/webhooks/:id': { who: 'admin', params: async (w) => ({ id: await newWebhook(w.admin) }) },
};

// An endpoint no delivery will reach (nothing listens on port 9).
async function newWebhook(admin: string): Promise<string> {
  const res = await t.as(admin).post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/fuzz', events: ['case.changed'] });
  if (res.status !== 201) throw new Error(`webhook: ${res.status} ${res.text}`);
  return res.body.id as string;
}

// Write routes with a dedicated property below (not JSON bodies).
const SPECIAL_WRITES = ['POST /api/v1/customers/import', 'POST /s/:token'];
// bull-board's queue API (admin only): fuzzed with junk names and bodies, no fields to name.
const QUEUE_BOARD = /^\/admin\/queues\//;

interface ListRoute {
  who: Who;
  filters: string[];
  params?: (w: World) => Params;
  // Filters the route requires, set to valid values unless a run fuzzes them.
  required?: (w: World) => Params;
}

const all = (filters: string[] = [], who: Who = 'manager', params?: (w: World) => Params): ListRoute => ({
  who,
  filters,
  params,
});
const page = ['limit', 'cursor'];

// Every GET the API answers, with the query parameters its DTO accepts.
const READ_ROUTES: Record<string, ListRoute> = {
  'GET /api/v1/me': all([], 'butler'),
  'GET /api/v1/users': all(['role', 'managerId']),
  'GET /api/v1/users/:id': all([], 'admin', (w) => ({ id: w.spareUser.id })),
  'GET /api/v1/settings': all([], 'butler'),
  'GET /api/v1/sms/status': all([], 'admin'),
  'GET /api/v1/wecom/todo': all([], 'butler'),
  'GET /api/v1/customers': all(
    [...page, 'butlerId', 'tier', 'tag', 'aroma', 'q', 'atRisk', 'silentDays', 'silent', 'sort'],
    'butler',
  ),
  'GET /api/v1/customers/:id': all([], 'butler', (w) => ({ id: w.customerId })),
  'GET /api/v1/customers/:id/taste-profile': all([], 'butler', (w) => ({ id: w.customerId })),
  'GET /api/v1/customers/:id/audit': all([], 'manager', (w) => ({ id: w.customerId })),
  'GET /api/v1/customers/:id/metrics': all([], 'butler', (w) => ({ id: w.customerId })),
  'GET /api/v1/customers/:id/recommendations': all(['limit'], 'butler', (w) => ({ id: w.customerId })),
  'GET /api/v1/customers/:customerId/purchases': all(page, 'butler', (w) => ({ customerId: w.customerId })),
  'GET /api/v1/customers/:customerId/timeline': all(page, 'butler', (w) => ({ customerId: w.customerId })),
  'GET /api/v1/customers/:id/interactions': all(page, 'butler', (w) => ({ id: w.customerId })),
  'GET /api/v1/customers/export': all(['butlerId', 'tier', 'tag']),
  'GET /api/v1/products': all(['aroma', 'brand', 'q', 'active', 'limit'], 'butler'),
  'GET /api/v1/products/:id': all([], 'butler', (w) => ({ id: w.productId })),
  'GET /api/v1/messages': {
    ...all(['customerId', 'limit'], 'butler'),
    required: (w) => ({ customerId: w.customerId }),
  },
  'GET /api/v1/follow-ups': all([...page, 'status', 'due', 'butlerId', 'customerId', 'kind', 'breached'], 'butler'),
  'GET /api/v1/follow-ups/:id': all([], 'butler', (w) => ({ id: w.followUpId })),
  'GET /api/v1/festivals': all(['year'], 'butler'),
  'GET /api/v1/holidays': all(['year'], 'butler'),
  'GET /api/v1/holidays/next-year': all([], 'butler'),
  'GET /api/v1/templates': all(),
  'GET /api/v1/templates/:id': all([], 'manager', (w) => ({ id: w.templateId })),
  'GET /api/v1/templates/:id/preview': all(['customerId'], 'manager', (w) => ({ id: w.templateId })),
  'GET /api/v1/greetings/campaigns': all(),
  'GET /api/v1/survey-programs': all(),
  'GET /api/v1/survey-programs/:id': all([], 'manager', (w) => ({ id: w.programId })),
  'GET /api/v1/survey-programs/:id/report': all(['cycle'], 'manager', (w) => ({ id: w.programId })),
  'GET /api/v1/survey-programs/:id/sample-preview': all([], 'manager', (w) => ({ id: w.programId })),
  'GET /api/v1/greetings/campaigns/:id': all([], 'manager', (w) => ({ id: w.campaignId })),
  'GET /api/v1/greetings/campaigns/:id/preview': all([], 'manager', (w) => ({ id: w.campaignId })),
  'GET /api/v1/care/upcoming': all(['days'], 'butler'),
  'GET /api/v1/surveys/responses': all([
    ...page,
    'butlerId',
    'customerId',
    'detractor',
    'flagged',
    'theme',
    'polarity',
  ]),
  'GET /api/v1/cases': all([...page, 'status', 'customerId', 'butlerId', 'type', 'priority', 'breached'], 'butler'),
  'GET /api/v1/cases/:id': all([], 'butler', (w) => ({ id: w.caseId })),
  'GET /api/v1/reports/butlers': all(['from', 'to']),
  'GET /api/v1/reports/butlers/:id/trend': all(['from', 'to', 'interval'], 'manager', (w) => ({
    id: w.ours.butler.id,
  })),
  'GET /api/v1/reports/drivers': all(['from', 'to']),
  'GET /api/v1/reports/churn': all([...page, 'butlerId']),
  'GET /api/v1/reports/comment-themes': all(['from', 'to', 'groupBy']),
  'GET /api/v1/reports/root-causes': { ...all(['month', 'teamId']), required: () => ({ month: '2026-11' }) },
  'GET /api/v1/reports/root-causes/:code/items': {
    ...all(['month', 'teamId'], 'manager', () => ({ code: 'logistics' })),
    required: () => ({ month: '2026-11' }),
  },
  'GET /api/v1/exports/survey-responses': all(['format', 'from', 'to']),
  'GET /api/v1/exports/cases': all(['format', 'from', 'to'], 'butler'),
  'GET /api/v1/exports/follow-ups': all(['format', 'from', 'to'], 'butler'),
  'GET /api/v1/exports/scorecard': all(['format', 'from', 'to']),
  'GET /api/v1/webhooks': all([], 'admin'),
  'GET /api/v1/webhooks/deliveries': all([...page, 'endpointId', 'status'], 'admin'),
  'GET /api/v1/reports/satisfaction': {
    ...all(['from', 'to', 'groupBy', 'kind']),
    required: () => ({ groupBy: 'tier' }),
  },
  'GET /api/v1/wecom/sidebar/js-config': {
    ...all(['url'], 'butler'),
    required: () => ({ url: 'https://crm.example.com/wecom/sidebar' }),
  },
  'GET /api/v1/wecom/contacts/:externalUserId': all([], 'butler', () => ({ externalUserId: 'wmFuzzContact0001' })),
  'GET /api/v1/wecom/transfers': all([...page, 'status']),
  'GET /api/v1/wecom/callback': all(['msg_signature', 'timestamp', 'nonce', 'echostr'], 'anonymous'),
  'GET /u/:token': all([], 'anonymous', () => ({ token: 'x' })),
  'GET /s/:token': all([], 'anonymous', () => ({ token: 'x' })),
};
// Not the API: docs, ops, the queue board and the console's static files.
const NOT_API = /^GET \/(health(\/live|\/ready)?$|metrics$|docs|admin\/queues|(\*|assets\/[\w.-]+|index\.html)?$)/;
// Keys no DTO accepts: mass assignment and operator injection.
const EXTRA_KEYS = [
  'role',
  'isAdmin',
  'id',
  'createdAt',
  '$where',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
];
const UNKNOWN_FILTERS = [
  'foo',
  'limit',
  'cursor',
  'q',
  'butlerId',
  'tier',
  'tag',
  'aroma',
  'from',
  'to',
  'interval',
  '__proto__',
  'constructor',
  'toString',
  'where',
  'order',
];

let t: TestApp;
let prints: TableFingerprint;

async function get(token: string, url: string): Promise<any> {
  const res = await t.as(token).get(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.body;
}

// A relationship program on 29 February only: whatever the date under test, nothing is sent.
const PROGRAM_BODY = {
  name: '模糊测试关系调查',
  schedule: { kind: 'window', start: '02-29', end: '02-29' },
  sample: { mode: 'tiers', tiers: [{ tier: 'gold', share: 0.5 }] },
  reminderAfterDays: 7,
  expiryDays: 21,
  brands: ['茅台', '五粮液'],
};

async function newProgram(team: Team): Promise<string> {
  const res = await t.as(team.manager.token).post('/api/v1/survey-programs', PROGRAM_BODY);
  if (res.status !== 201) throw new Error(`program: ${res.status} ${res.text.slice(0, 300)}`);
  return res.body.id as string;
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text;
};

function concrete(url: string, params: Params): string {
  return url.replace(/:(\w+)/g, (_, name: string) => encodeQueryValue(params[name] ?? randomUUID()));
}

interface Exchange {
  res: HttpResult;
  changed: string[];
}

// Sends one request between two fingerprints of every table.
async function exchange(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> },
): Promise<Exchange> {
  const before = await prints.take();
  const res = await request(t.app, method, url, {
    ...options,
    remoteAddress: `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 255)}`,
  });
  return { res, changed: changedTables(before, await prints.take()) };
}

// The properties every answer must have; returns what is wrong, in words.
function problemsOf(
  { res, changed }: Exchange,
  expect: { field?: string; rejected?: boolean; readOnly?: boolean },
): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`answered ${res.status}: ${res.text.slice(0, 200)}`);
  if (expect.rejected && res.status < 400) problems.push(`accepted it (${res.status})`);
  if (expect.field && res.status === 400 && !namesField(messageText(res.body), expect.field)) {
    problems.push(`400 does not name ${expect.field}: ${show(res.body?.message)}`);
  }
  if ((res.status >= 400 || expect.readOnly) && changed.length > 0)
    problems.push(`answered ${res.status} but changed ${changed.join(', ')}`);
  return problems;
}

// An accepted value is stored as sent (strings may be trimmed), not executed or mangled.
function roundTripProblem(sent: unknown, stored: unknown): string | null {
  if (typeof sent === 'string' && typeof stored === 'string') {
    return stored === sent || stored === sent.trim() ? null : `stored ${show(stored)} instead of ${show(sent)}`;
  }
  if (typeof sent === 'number' && stored !== undefined && stored !== null && typeof stored !== 'object') {
    return Number(stored) === sent ? null : `stored ${show(stored)} instead of ${show(sent)}`;
  }
  return null;
}

// fast-check's own report prints the whole counterexample (100,000-character strings included):
// the failure is reported with the problems in short, and the seed and path to replay it.
async function assertProperty<T>(
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  check: (value: T) => Promise<string[]>,
): Promise<void> {
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      const problems = await check(value);
      if (problems.length > 0) throw new Error(problems.join('\n'));
    }),
    // No shrinking: every run is a real request that may have changed the data.
    { seed: FUZZ_SEED, numRuns, endOnFailure: true },
  );
  if (details.failed) {
    const cause =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `${cause}\n(run ${details.numRuns} of ${numRuns}; ` +
        `replay with seed ${details.seed}, path "${details.counterexamplePath}")`,
    );
  }
}

describe('fuzzing: hostile input at every write route and list filter', () => {
  let w: World;
  // PostgreSQL's time, as the created_at it is compared with below (under faketime Node's differs).
  let started: Date;
  const tokenOf = (who: Who): string | undefined =>
    ({ admin: w.admin, manager: w.ours.manager.token, butler: w.ours.butler.token, anonymous: undefined })[who];

  beforeAll(async () => {
    t = await bootApp();
    [{ at: started }] = await t.db.query('SELECT clock_timestamp() AS at');
    // The dates below are this file's "recently": the app's clock is set to match, whatever the date.
    t.app.get(Clock).travelTo(new Date('2026-12-01T12:00:00+08:00'));
    prints = new TableFingerprint(t.db);
    const { admin, ours, theirs } = await twoTeams(t);
    const as = (token: string) => t.as(token);
    const ok = (res: HttpResult, what: string) => {
      if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
      return res.body;
    };
    const productId = (await createProduct(t, admin, { active: false })).id;
    const customerId = ok(await as(ours.butler.token).post('/api/v1/customers', customerBody()), 'customer').id;
    const theirCustomerId = ok(
      await as(theirs.butler.token).post('/api/v1/customers', customerBody()),
      'their customer',
    ).id;
    const purchaseId = ok(
      await as(ours.butler.token).post(`/api/v1/customers/${customerId}/purchases`, {
        orderRef: `FUZZ-${randomUUID()}`,
        channel: 'store',
        purchasedAt: '2026-01-01T10:00:00+08:00',
        items: [{ productId, quantity: 1, unitPriceFen: 100 }],
      }),
      'purchase',
    ).id;
    const followUp = async (team: Team, customer: string) =>
      ok(
        await as(team.manager.token).post('/api/v1/follow-ups', {
          customerId: customer,
          butlerId: team.butler.id,
          dueAt: '2026-12-01T10:00:00+08:00',
          kind: 'manual',
        }),
        'follow-up',
      ).id as string;
    const kase = async (team: Team, customer: string) =>
      ok(
        await as(team.butler.token).post('/api/v1/cases', {
          customerId: customer,
          type: 'quality',
          channel: 'phone',
          summary: '封口渗漏',
        }),
        'case',
      ).id as string;
    const templateId = ok(
      await as(admin).post('/api/v1/templates', WRITE_ROUTES['POST /api/v1/templates'].body!({} as World)),
      'template',
    ).id;
    const campaign = async (team: Team) =>
      ok(
        await as(team.manager.token).post('/api/v1/greetings/campaigns', {
          name: '模糊测试问候',
          occasion: 'custom',
          templateId,
          sendAt: '2099-09-15T09:00:00+08:00',
          audience: { scope: 'team' },
          draft: true,
        }),
        'campaign',
      ).id as string;
    const spare = await t.createUser(admin, { role: 'butler', managerId: ours.manager.id });
    w = {
      admin,
      ours,
      theirs,
      productId,
      customerId,
      theirCustomerId,
      purchaseId,
      followUpId: await followUp(ours, customerId),
      completableFollowUpId: await followUp(ours, customerId),
      theirFollowUpId: await followUp(theirs, theirCustomerId),
      caseId: await kase(ours, customerId),
      transitionCaseId: await kase(ours, customerId),
      theirCaseId: await kase(theirs, theirCustomerId),
      templateId,
      campaignId: await campaign(ours),
      theirCampaignId: await campaign(theirs),
      programId: await newProgram(ours),
      theirProgramId: await newProgram(theirs),
      spareUser: { id: spare.id, email: spare.email },
      webhookId: await newWebhook(admin),
      settings: await get(admin, '/api/v1/settings'),
    };
  });

  afterAll(async () => {
    if (w) {
      // Leave the shared database as later test files expect it: the settings as they were, and
      // nothing of ours for their workers to send.
      await t.as(w.admin).patch('/api/v1/settings', w.settings);
      await t.db.query(
        `UPDATE greeting_campaigns SET status = 'cancelled'
          WHERE created_at >= $1 AND status IN ('draft', 'scheduled')`,
        [started],
      );
      await t.db.query(
        `UPDATE messages SET status = 'skipped', skip_reason = 'cancelled'
          WHERE created_at >= $1 AND status = 'pending'`,
        [started],
      );
      await t.db.query(
        `UPDATE survey_invitations SET status = 'skipped' WHERE created_at >= $1 AND status IN ('scheduled', 'queued')`,
        [started],
      );
    }
    await t.close();
  });

  it('knows every write route and every GET the app registered', () => {
    const unknown: string[] = [];
    for (const { method, url } of listRoutes(t.app)) {
      const key = `${method} ${url}`;
      if (['HEAD', 'OPTIONS'].includes(method) || QUEUE_BOARD.test(url)) continue;
      if (method === 'GET') {
        if (!(key in READ_ROUTES) && !NOT_API.test(key)) unknown.push(`${key}: list its query filters in READ_ROUTES`);
      } else if (!(key in WRITE_ROUTES) && !SPECIAL_WRITES.includes(key)) {
        unknown.push(`${key}: give it a valid body in WRITE_ROUTES`);
      }
    }
    expect(unknown).toEqual([]);
  });

  describe.each(Object.entries(WRITE_ROUTES))('%s', (key, route) => {
    const [method, url] = key.split(' ');
    const send = async (body: unknown, params?: Params, headers?: Record<string, string>) =>
      exchange(method, concrete(url, params ?? (route.params ? await route.params(w) : {})), {
        token: tokenOf(route.who),
        body,
        headers,
      });

    it('answers malformed JSON and non-object bodies with a 4xx that changes nothing', async () => {
      const problems: string[] = [];
      for (const raw of MALFORMED_JSON) {
        const outcome = await send(raw, undefined, { 'content-type': 'application/json' });
        // A route that reads no body may ignore it; one that reads a body must refuse it.
        for (const p of problemsOf(outcome, { rejected: route.body !== undefined }))
          problems.push(`${show(raw)}: ${p}`);
      }
      expect(problems).toEqual([]);
    });

    if (route.body) {
      const body = route.body;
      it('names the field and changes nothing when one field is hostile; stores what it accepts as sent', async () => {
        const base = body(w);
        // Own keys only: `'constructor' in base` is true of every object, and left them all out.
        const extra = new Set(EXTRA_KEYS.filter((k) => !Object.hasOwn(base, k)));
        const paths = [...fieldPaths(base), ...extra];
        await assertProperty(
          fc.record({ path: fc.constantFrom(...paths), value: hostileValue }),
          runs(50),
          async ({ path, value }) => {
            const params = route.params ? await route.params(w) : {};
            const sent = withValue(body(w), path, value);
            const outcome = await send(sent, params);
            // Prototype poisoning is refused whole by the JSON parser, before any field is read.
            const poisoned = /"__proto__"|"constructor":\{"prototype"/.test(JSON.stringify(sent));
            const field = extra.has(path) ? `property ${path} should not exist` : path;
            const problems = problemsOf(outcome, poisoned ? { rejected: true } : { field });
            if (outcome.res.status < 300 && route.readBack) {
              const stored = await route.readBack(w, outcome.res, params);
              const normalize = route.normalized?.[path];
              const problem = roundTripProblem(
                normalize && typeof value === 'string' ? normalize(value) : value,
                valueAt(stored, path),
              );
              if (problem) problems.push(problem);
            }
            return problems.map((p) => `${path} = ${show(value)}: ${p}`);
          },
        );
      });
    }

    if (url.includes(':')) {
      it('answers junk ids, unknown ids and records of another team with a 4xx that changes nothing', async () => {
        const valid = route.params ? await route.params(w) : {};
        const names = Object.keys(valid);
        const junk = fc.oneof(
          fc.uuid().map((id) => ({ id, foreign: false })),
          hostileString.filter((s) => s.length > 0 && s.length < 2000).map((id) => ({ id, foreign: false })),
          fc.constantFrom(
            ...(route.foreign
              ? [{ id: Object.values(route.foreign(w))[0], foreign: true }]
              : [{ id: randomUUID(), foreign: false }]),
          ),
          // A real record of another kind: a product's id as a client's, a user's as a case's.
          fc.constantFrom(
            ...Object.entries({
              users: w.ours.butler.id,
              products: w.productId,
              templates: w.templateId,
              purchases: w.purchaseId,
            })
              .filter(([kind]) => !url.includes(kind))
              .map(([, id]) => ({ id, foreign: false })),
          ),
        );
        await assertProperty(junk, runs(25), async ({ id, foreign }) => {
          const params = Object.fromEntries(names.map((n) => [n, id]));
          const outcome = await send(route.body ? route.body(w) : undefined, params);
          const problems = problemsOf(outcome, { rejected: true });
          if (foreign && outcome.res.status !== 404)
            problems.push(`another team's record answered ${outcome.res.status}, not 404`);
          return problems.map((p) => `${names.join(',')} = ${show(id)}: ${p}`);
        });
      });
    }
  });

  describe.each(Object.entries(READ_ROUTES))('%s', (key, route) => {
    const url = key.split(' ')[1];
    it(
      'answers hostile filters (and unknown ones) with no 5xx, ' + 'a 400 naming the filter, and no row changed',
      async () => {
        const names = [...new Set([...route.filters, ...UNKNOWN_FILTERS])];
        const filter = fc.record({ name: fc.constantFrom(...names), value: hostileQueryValue });
        await assertProperty(
          fc.array(filter, { minLength: 1, maxLength: 2 }),
          runs(route.filters.length > 0 ? 30 : 10),
          async (filters) => {
            const fuzzed = new Set(filters.map((f) => f.name));
            const required = Object.entries(route.required ? route.required(w) : {}).filter(
              ([name]) => !fuzzed.has(name),
            );
            const query = [
              ...required.map(([name, value]) => `${name}=${value}`),
              ...filters.map((f) => queryPart(f.name, f.value)),
            ].join('&');
            const path = concrete(url, route.params ? route.params(w) : {});
            const outcome = await exchange('GET', `${path}?${query}`, { token: tokenOf(route.who) });
            const named = filters.some((f) => messageText(outcome.res.body).includes(f.name));
            const problems = problemsOf(outcome, { readOnly: true });
            if (outcome.res.status === 400 && !named)
              problems.push(
                `400 names none of ${filters.map((f) => f.name).join(', ')}: ${show(outcome.res.body?.message)}`,
              );
            return problems.map((p) => `?${show(query)}: ${p}`);
          },
        );
      },
    );

    if (url.includes(':')) {
      it('answers junk and unknown ids with a 4xx and no row changed', async () => {
        const ids = fc.oneof(
          fc.uuid(),
          hostileString.filter((s) => s.length > 0 && s.length < 2000),
        );
        await assertProperty(ids, runs(15), async (id) => {
          const names = [...url.matchAll(/:(\w+)/g)].map((m) => m[1]);
          const outcome = await exchange('GET', concrete(url, Object.fromEntries(names.map((n) => [n, id]))), {
            token: tokenOf(route.who),
          });
          return problemsOf(outcome, { rejected: true, readOnly: true }).map((p) => `${show(id)}: ${p}`);
        });
      });
    }
  });
  describe('text a client may legitimately send', () => {
    it(
      'stores emoji, RTL, combining marks, ' + 'SQL and template text as data, byte for byte, and finds it again',
      async () => {
        const exact = (arbitrary: fc.Arbitrary<string>, max: number) =>
          arbitrary.filter((v) => v === v.trim() && [...v].length <= max);
        const fields = fc.record({
          name: exact(storableText, 100),
          notes: storableText,
          city: exact(storableText, 50),
          tag: exact(storableText, 30),
          source: exact(storableText, 40),
        });
        await assertProperty(fields, runs(25), async ({ name, notes, city, tag, source }) => {
          const body = customerBody({
            name,
            notes,
            city,
            tags: [tag],
            consent: { greetings: true, surveys: false, source },
          });
          const outcome = await exchange('POST', '/api/v1/customers', { token: w.ours.butler.token, body });
          if (outcome.res.status !== 201)
            return [`${show(body)}: answered ${outcome.res.status}: ${outcome.res.text.slice(0, 200)}`];
          const stored = await get(w.ours.butler.token, `/api/v1/customers/${outcome.res.body.id}`);
          const problems = [
            ...(['name', 'notes', 'city'] as const).map((f) => roundTripProblem(body[f], stored[f])),
            roundTripProblem(tag, stored.tags[0]),
            roundTripProblem(source, stored.consent.source),
          ].filter((p): p is string => p !== null);
          // Searching for the text finds the client: a quote or a % is matched, not interpreted.
          if ([...name].length <= 50) {
            const found = await get(w.ours.butler.token, `/api/v1/customers?q=${encodeQueryValue(name)}&limit=200`);
            if (!found.items.some((c: { id: string }) => c.id === outcome.res.body.id))
              problems.push(`searching q=${show(name)} does not find the client`);
          }
          return problems.map((p) => `name ${show(name)}: ${p}`);
        });
        // And the injection strings did nothing: the tables they name are still there.
        const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM customers`);
        expect(n).toBeGreaterThan(0);
      },
    );
  });

  describe('message templates cannot read anything outside their placeholders', () => {
    const env = process.env as Record<string, string | undefined>;
    const secrets = ['JWT_SECRET', 'DATABASE_URL', 'ADMIN_PASSWORD', 'TEST_DATABASE']
      .map((k) => env[k])
      .filter((v): v is string => Boolean(v));
    // What a leak would print: a function, an object, the process, or a key of the context.
    const tells = [
      'function',
      '[object',
      'native code',
      'process',
      'prototype',
      '__proto__',
      'constructor',
      'salutation',
      'favoriteAroma',
      'butler',
      'festival',
      'customer',
    ];
    const attacks = [
      '{{constructor}}',
      '{{__proto__}}',
      '{{toString}}',
      '{{valueOf}}',
      '{{hasOwnProperty}}',
      '{{customer.constructor}}',
      '{{customer.__proto__}}',
      '{{customer.name.constructor}}',
      '{{constructor.constructor}}',
      `{{lookup this "constructor"}}`,
      `{{lookup customer "constructor"}}`,
      '{{#each this}}{{@key}}={{this}};{{/each}}',
      '{{#with customer}}{{this}}{{/with}}',
      '{{#if customer}}{{customer}}{{/if}}',
      '{{this}}',
      '{{.}}',
      '{{customer}}',
      '{{@root}}',
      '{{@root.customer}}',
      '{{process.env.JWT_SECRET}}',
      '{{../../secret}}',
      '{{../customer.name}}',
      '{{this.customer.name}}',
      '{{customer/name}}',
      '{{[customer.name]}}',
      '{{[constructor]}}',
      '{{> x}}',
      '{{> (lookup this "x")}}',
      '{{{{raw}}}}{{customer}}{{{{/raw}}}}',
      '{{* decorator}}',
      '{{helperMissing}}',
      '{{blockHelperMissing customer}}',
      '{{log customer}}',
      '{{no-such-helper customer.name}}',
      '{{customer.name key=constructor}}',
      '{{customer.name (lookup this "constructor")}}',
      '{{&customer}}',
      '{{{customer}}}',
      '{{!-- {{customer}} --}}{{customer}}',
      '\\{{customer}}',
      '{{customer.name',
      '}}{{',
      ...TEMPLATE_INJECTION,
      ...SQL_INJECTION,
    ];
    const documented = (source: string): string | null => {
      // An accepted template may hold text, comments and documented placeholders only.
      let program: hbs.AST.Program;
      try {
        program = Handlebars.parse(source);
      } catch {
        return 'an unparseable template was accepted';
      }
      for (const node of program.body) {
        if (node.type === 'ContentStatement' || node.type === 'CommentStatement') continue;
        const path = (node as hbs.AST.MustacheStatement).path as hbs.AST.PathExpression;
        if (
          node.type !== 'MustacheStatement' ||
          path.type !== 'PathExpression' ||
          !Object.hasOwn(PLACEHOLDERS, path.original)
        ) {
          return `accepted ${node.type} ${show(path?.original ?? '')}, not a documented placeholder`;
        }
      }
      return null;
    };
    const leaks = (source: string, rendered: string): string[] => [
      ...secrets.filter((secret) => rendered.includes(secret)).map(() => 'rendered a secret from the environment'),
      ...tells
        .filter((tell) => rendered.includes(tell) && !source.includes(tell))
        .map((tell) => `rendered ${show(tell)}`),
    ];

    it('rejects a body or subject reaching outside, naming the field, or renders nothing it should not', async () => {
      const source = fc.oneof(
        fc.constantFrom(...attacks),
        fc
          .tuple(
            fc.constantFrom(...attacks),
            fc.constantFrom('', ...Object.keys(PLACEHOLDERS).map((k) => `{{${k}}}`)),
            hostileString.filter((v) => v.length < 200),
          )
          .map((parts) => parts.join('')),
      );
      const client = (await t.as(w.ours.butler.token).post('/api/v1/customers', customerBody())).body.id as string;
      await assertProperty(
        fc.record({ field: fc.constantFrom('body', 'subject'), source }),
        runs(80),
        async ({ field, source: text }) => {
          const body = { ...WRITE_ROUTES['POST /api/v1/templates'].body!(w), [field]: text };
          const outcome = await exchange('POST', '/api/v1/templates', { token: w.admin, body });
          const problems = problemsOf(outcome, { field });
          if (outcome.res.status === 201) {
            const saved = documented(text);
            if (saved) problems.push(saved);
            for (const query of ['', `?customerId=${client}`]) {
              const preview = await t.as(w.admin).get(`/api/v1/templates/${outcome.res.body.id}/preview${query}`);
              if (preview.status !== 200) problems.push(`preview${query} answered ${preview.status}`);
              else
                problems.push(
                  ...leaks(text, preview.body[field === 'body' ? 'text' : 'subject']).map(
                    (p) => `preview${query} ${p}`,
                  ),
                );
            }
          }
          return problems.map((p) => `${field} = ${show(text)}: ${p}`);
        },
      );
    });

    it('renders a client whose name is template syntax as that text, once', async () => {
      const name = '{{butler.name}}${process.env.JWT_SECRET}<script>';
      const client = (await t.as(w.ours.butler.token).post('/api/v1/customers', customerBody({ name }))).body
        .id as string;
      const template = await t.as(w.admin).post('/api/v1/templates', {
        name: '姓名模板',
        occasion: 'custom',
        subject: '{{customer.name}}',
        body: '您好，{{customer.name}}',
      });
      expect(template.status).toBe(201);
      const preview = await t.as(w.admin).get(`/api/v1/templates/${template.body.id}/preview?customerId=${client}`);
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({ subject: name, text: `您好，${name}` });
    });
  });

  describe('the CSV import', () => {
    const header = [
      'name',
      'mobile',
      'email',
      'gender',
      'birthday',
      'calendar',
      'city',
      'tier',
      'tags',
      'butlerId',
      'consentGreetings',
      'consentSurveys',
      'notes',
    ];
    const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

    it(
      'reports a hostile cell as a failure of that column, ' +
        'keeps nothing of a failed row, and stores an accepted cell as sent',
      async () => {
        await assertProperty(
          fc.record({ column: fc.constantFrom(...header), value: hostileString }),
          runs(40),
          async ({ column, value }) => {
            const mobile = uniqueMobile();
            const row: Record<string, string> = {
              name: '王建国',
              mobile,
              email: `csv-${randomInt(0, 1e9)}@example.com`,
              gender: 'male',
              birthday: '1970-08-15',
              calendar: 'lunar',
              city: '成都',
              tier: 'gold',
              tags: '企业客户',
              butlerId: w.ours.butler.id,
              consentGreetings: 'true',
              consentSurveys: 'true',
              notes: '备注',
            };
            row[column] = value;
            const file = `${header.join(',')}\r\n${header.map((h) => cell(row[h])).join(',')}\r\n`;
            const outcome = await exchange('POST', '/api/v1/customers/import', {
              token: w.ours.manager.token,
              body: file,
              headers: { 'content-type': 'text/csv; charset=utf-8' },
            });
            const problems = problemsOf(outcome, {});
            const report = outcome.res.body as {
              created?: number;
              failed?: { field: string | null; message: string }[];
            };
            for (const failure of report.failed ?? []) {
              // A row the CSV reader cannot read at all (a cell past its record size) fails as a row.
              const wholeRow = failure.field === null && failure.message.startsWith('row is not valid CSV');
              if (failure.field !== column && !failure.message.includes(column) && !wholeRow)
                problems.push(`failure names ${failure.field}, not ${column}: ${failure.message}`);
            }
            if (report.created === 1 && ['name', 'city', 'notes'].includes(column)) {
              const [stored] = await t.db.query(`SELECT name, city, notes FROM customers WHERE mobile = $1`, [mobile]);
              // The file travels as UTF-8: what the server can receive is the text's UTF-8 decoding.
              const problem = roundTripProblem(Buffer.from(value).toString('utf8'), stored?.[column]);
              if (problem) problems.push(problem);
            }
            return problems.map((p) => `${column} = ${show(value)}: ${p}`);
          },
        );
      },
    );
  });

  describe('the survey form (public)', () => {
    it('answers a hostile form with a page, never a 5xx, and stores an accepted comment as sent', async () => {
      // The settings as they were (fuzzing PATCH /settings may have turned surveys off), then an
      // invitation as the dispatcher leaves it once the email is sent: its token's hash stored.
      expect((await t.as(w.admin).patch('/api/v1/settings', w.settings)).status).toBe(200);
      const client = (await t.as(w.ours.butler.token).post('/api/v1/customers', customerBody())).body.id as string;
      const followUp = (
        await t.as(w.ours.manager.token).post('/api/v1/follow-ups', {
          customerId: client,
          butlerId: w.ours.butler.id,
          dueAt: '2026-12-01T10:00:00+08:00',
        })
      ).body.id;
      expect(
        (
          await t
            .as(w.ours.butler.token)
            .post(`/api/v1/follow-ups/${followUp}/complete`, { outcome: 'reached', channel: 'phone' })
        ).status,
      ).toBe(200);
      const token = newSurveyToken();
      const invited = await t.db.query(
        `UPDATE survey_invitations
            SET status = 'sent', token_hash = $2, sent_at = $3, expires_at = $3::timestamptz + interval '14 days'
          WHERE customer_id = $1 RETURNING id`,
        [client, hashSurveyToken(token), t.app.get(Clock).now()],
      );
      expect(invited[0]).toHaveLength(1);
      const fields = ['csat', 'nps', 'reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles', 'comment'];
      const valid: Record<string, string> = {
        csat: '5',
        nps: '9',
        reliability: '5',
        responsiveness: '4',
        assurance: '5',
        empathy: '5',
        tangibles: '4',
        comment: '很好',
      };
      await assertProperty(
        fc.record({ field: fc.constantFrom(...fields, 'extra'), value: hostileQueryValue }),
        runs(30),
        async ({ field, value }) => {
          const form = [
            ...Object.entries(valid)
              .filter(([name]) => name !== field)
              .map(([name, v]) => `${name}=${encodeQueryValue(v)}`),
            queryPart(field, value),
          ].join('&');
          const before = await t.db.query(`SELECT count(*)::int AS n FROM survey_responses WHERE customer_id = $1`, [
            client,
          ]);
          const outcome = await exchange('POST', `/s/${token}`, {
            body: form,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          });
          const problems = problemsOf(outcome, {});
          if (outcome.res.status === 200 && before[0].n === 0 && field === 'comment' && 'value' in value) {
            const [stored] = await t.db.query(`SELECT comment FROM survey_responses WHERE customer_id = $1`, [client]);
            const problem = roundTripProblem(value.value, stored?.comment);
            if (problem) problems.push(problem);
          }
          return problems.map((p) => `${field} = ${show(value)}: ${p}`);
        },
      );
      // The summary the reports read, rebuilt from the rows (the invitation was marked sent by hand).
      expect((await t.as(w.admin).post('/api/v1/reports/recompute')).status).toBe(200);
    });
  });

  describe("bull-board's queue API (admin)", () => {
    const writes = () =>
      listRoutes(t.app).filter((r) => QUEUE_BOARD.test(r.url) && !['GET', 'HEAD', 'OPTIONS'].includes(r.method));

    it('answers junk queue names, job ids and bodies without a 5xx or a changed row', async () => {
      expect(writes().length).toBeGreaterThan(0);
      const real = new Set<string>(Object.values(QUEUES));
      const junk = hostileString.filter((v) => v.length > 0 && v.length < 200 && !real.has(v));
      const body = fc.oneof(
        hostileValue.map((v) => ({ json: v })),
        fc.constantFrom(...MALFORMED_JSON.filter((m) => m.length < 100)).map((raw) => ({ raw })),
      );
      for (const route of writes()) {
        await assertProperty(
          fc.record({ id: junk, job: fc.oneof(junk, fc.constantFrom(...real)), body }),
          runs(6),
          async ({ id, job, body: b }) => {
            // A real queue only with a junk job: no run may pause, empty or obliterate a queue.
            const url = concrete(route.url, {
              queueName: route.url.includes(':jobId') ? job : id,
              jobId: id,
              queueStatus: id,
              schedulerId: id,
            });
            const outcome = await exchange(route.method, url, {
              token: w.admin,
              body: 'raw' in b ? b.raw : b.json,
              headers: { 'content-type': 'application/json' },
            });
            return problemsOf(outcome, {}).map((p) => `${route.method} ${url.slice(0, 200)}: ${p}`);
          },
        );
      }
    });
  });
});
