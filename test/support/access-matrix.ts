import { randomUUID } from 'node:crypto';

import type { DataSource } from 'typeorm';

import type { RouteInfo } from '../../apps/api/src/create-api';
import type { Team } from './factories';
import type { HttpResult } from './test-app';

// Routes that answer without a token, on purpose (shared with routes.e2e-spec). Anything else
// must say 401 to a stranger.
export const PUBLIC = [
  /^POST \/api\/v1\/auth\/login$/,
  /^(GET|HEAD) \/health(\/live|\/ready)?$/,
  // Its own rule: loopback clients only, or a bearer METRICS_TOKEN (test/ops.e2e-spec.ts).
  /^(GET|HEAD) \/metrics$/,
  /^(GET|HEAD) \/docs/,
  // Unsubscribe pages: the HMAC token in the link is the credential.
  /^(GET|HEAD|POST) \/u\/:token$/,
  // Survey pages: the random token in the emailed link is the credential.
  /^(GET|HEAD|POST) \/s\/:token$/,
  // The SMS provider's pushes (delivery receipts, uplinks): no JWT (Aliyun has none); the
  // SMS_CALLBACK_SECRET token in the URL is the credential, else 401 (test/sms.e2e-spec.ts,
  // test/sms-tencent.e2e-spec.ts).
  /^POST \/api\/v1\/sms\/(aliyun|tencent)\/(receipts|uplinks)$/,
  // WeCom's callback URL: no JWT (WeCom has none); its msg_signature with the callback Token is the
  // credential, else 401 (test/wecom-edge.e2e-spec.ts).
  /^(GET|HEAD|POST) \/api\/v1\/wecom\/callback$/,
  // The chat toolbar's sign-in: WeCom's one-time OAuth2 code is the credential.
  /^POST \/api\/v1\/wecom\/sidebar\/session$/,
  // The web console's files and its client-side routes (it signs in through the API).
  /^(GET|HEAD) \/(\*|assets\/[\w.-]+|index\.html)?$/,
];

// The WeCom external userid the matrix's setup binds to the victim client.
export const victimExternalUserId = (v: Pick<Victims, 'customer'>): string => `wmMatrix${v.customer.id.slice(0, 8)}`;

export const isPublic = (route: RouteInfo): boolean => PUBLIC.some((p) => p.test(`${route.method} ${route.url}`));

export type Role = 'admin' | 'manager' | 'butler';
// owner: the legitimate reader, used to prove the fixture ids are right.
export type CallerKey = 'anonymous' | 'otherButler' | 'colleague' | 'otherManager' | 'owner';

// The records "ours".butler owns (or their team does), which the callers below must not reach.
export interface Victims {
  butlerId: string; // ours.butler
  managerId: string; // ours.manager
  customer: { id: string; name: string; mobile: string; email: string };
  productId: string;
  purchaseId: string;
  orderRef: string;
  caseId: string;
  followUpId: string; // open, assigned by ours.manager
  doneFollowUpId: string;
  interactionId: string;
  responseId: string;
  campaignId: string; // ours.manager's
  programId: string; // ours.manager's relationship survey program (a draft)
  templateId: string; // admin's
}

export interface Caller {
  key: CallerKey;
  role: Role | null;
  id?: string;
  token?: string;
  // The caller's own team (a butler of it is what a manager would legitimately name).
  team?: Team;
}

export interface MatrixContext {
  v: Victims;
  ours: Team;
  theirs: Team;
  caller: Caller;
}

// A JSON body, or raw bytes with their content type (the CSV import).
export interface RawBody {
  raw: string;
  contentType: string;
}
export type SampleBody = Record<string, unknown> | RawBody;
export const isRawBody = (body: SampleBody): body is RawBody =>
  typeof body.raw === 'string' && typeof body.contentType === 'string';

export interface Outcome {
  // A status, or 'ok' for any 2xx.
  status: number | 'ok';
  // An accepted request that must still write nothing (e.g. an import whose every row is refused).
  unchanged?: boolean;
}

export interface RouteRule {
  // Who may call it at all; a signed-in caller of another role gets 403.
  roles: Role[];
  // owned: the path (or body) names a victim record: a caller outside the owner's scope gets 404.
  // list: a scoped collection: 200, without any victim record in it.
  // open: no owner: every allowed role gets 2xx (the exceptions readable by all: first in RULES).
  scope: 'owned' | 'list' | 'open';
  query?: (c: MatrixContext) => string;
  // A valid body for writes, so a rejection is about access, not validation.
  body?: (c: MatrixContext) => SampleBody;
  // Whether a response (of a list) shows the victim's data; by default: any victim id in the text.
  visible?: (res: HttpResult, v: Victims) => boolean;
  // Caller-specific outcomes where the generic rule does not apply, each with its reason.
  expect?: Partial<Record<CallerKey, Outcome>>;
  // The call ends the caller's own sessions (and the matrix's tokens with them): only the stranger
  // is tried here; that it ends the caller's sessions and nobody else's is auth.e2e-spec's.
  endsCallerSessions?: true;
}

const A = '/api/v1';
const ALL: Role[] = ['admin', 'manager', 'butler'];
const STAFF: Role[] = ['admin', 'manager'];
const ADMIN: Role[] = ['admin'];

const inAMonth = (): string => new Date(Date.now() + 30 * 86_400_000).toISOString();
// A butler the caller may legitimately name: themselves, or (a manager) a butler of their team.
const aButlerOf = (c: MatrixContext): string =>
  c.caller.role === 'butler' ? c.caller.id! : (c.caller.team?.butler.id ?? c.v.butlerId);

export function victimNeedles(v: Victims): string[] {
  return [
    v.customer.id,
    v.customer.name,
    v.customer.mobile,
    v.customer.email,
    v.purchaseId,
    v.orderRef,
    v.caseId,
    v.followUpId,
    v.doneFollowUpId,
    v.interactionId,
    v.responseId,
    v.campaignId,
    v.programId,
    v.butlerId,
  ];
}

const showsVictim = (res: HttpResult, v: Victims): boolean =>
  victimNeedles(v).some((needle) => res.text.includes(needle));

// Every route of the API, by method and path (HEAD is checked as its GET). A route missing here
// fails the matrix: decide who may call it, then add it.
export const RULES: Record<string, RouteRule> = {
  // Everyone signed in reads themselves, the settings, the catalog and the festival calendar:
  // these are the OPEN exceptions (no owner, nothing of another team in them).
  [`GET ${A}/me`]: { roles: ALL, scope: 'open' },
  [`POST ${A}/auth/logout-all`]: { roles: ALL, scope: 'open', body: () => ({}), endsCallerSessions: true },
  [`GET ${A}/settings`]: { roles: ALL, scope: 'open' },
  [`GET ${A}/products`]: { roles: ALL, scope: 'open' },
  [`GET ${A}/products/:id`]: { roles: ALL, scope: 'open' },
  [`GET ${A}/festivals`]: { roles: ALL, scope: 'open', query: () => '?year=2027' },
  [`GET ${A}/holidays`]: { roles: ALL, scope: 'open', query: () => '?year=2027' },
  [`GET ${A}/holidays/next-year`]: { roles: ALL, scope: 'open' },
  // Templates are shared by all teams: managers read them to build campaigns.
  [`GET ${A}/templates`]: { roles: STAFF, scope: 'open' },
  [`GET ${A}/templates/:id`]: { roles: STAFF, scope: 'open' },

  // Writes anyone of these roles may make, with no owner to protect (checked as allowed, then
  // the database baseline is taken again).
  [`POST ${A}/products`]: {
    roles: STAFF,
    scope: 'open',
    body: () => ({
      sku: `AM-${randomUUID().slice(0, 8)}`,
      name: '矩阵测试酒',
      brand: '测试酒厂',
      aroma: 'nong',
      abv: 52,
      volumeMl: 500,
      priceFen: 39900,
    }),
  },
  [`PATCH ${A}/products/:id`]: { roles: STAFF, scope: 'open', body: () => ({ priceFen: 49900 }) },
  // A manager's campaign is always their own team's, whatever the body says (see the mass
  // assignment tests): the victim team is out of reach, so this is an allowed write.
  // A manager's program always asks their own team: an allowed write for any manager.
  [`POST ${A}/survey-programs`]: {
    roles: STAFF,
    scope: 'open',
    body: () => ({
      name: '矩阵关系调查',
      schedule: { kind: 'window', start: '02-29', end: '02-29' },
      sample: { mode: 'all' },
      reminderAfterDays: 7,
    }),
  },
  [`POST ${A}/greetings/campaigns`]: {
    roles: STAFF,
    scope: 'open',
    body: (c) => ({
      name: '矩阵问候',
      occasion: 'custom',
      templateId: c.v.templateId,
      sendAt: inAMonth(),
      audience: { scope: 'team' },
      draft: true,
    }),
  },

  // Users: admins manage them; managers list their team; everyone reads only whom they may see.
  [`POST ${A}/users`]: {
    roles: ADMIN,
    scope: 'open',
    body: () => ({
      email: `am-${randomUUID().slice(0, 8)}@test.local`,
      name: '越权',
      role: 'admin',
      password: 'password-123',
    }),
  },
  [`GET ${A}/users`]: { roles: STAFF, scope: 'list', query: (c) => `?managerId=${c.v.managerId}` },
  [`GET ${A}/users/:id`]: { roles: ALL, scope: 'owned' },
  [`PATCH ${A}/users/:id`]: { roles: ADMIN, scope: 'owned', body: () => ({ name: '改名', active: false }) },
  [`PATCH ${A}/settings`]: { roles: ADMIN, scope: 'open', body: () => ({ caps: { greetingMinDays: 30 } }) },
  [`PUT ${A}/holidays/:year`]: {
    roles: ADMIN,
    scope: 'open',
    body: () => ({ text: '2095-01-02 holiday 矩阵测试', source: '矩阵' }),
  },
  [`DELETE ${A}/holidays/:year`]: { roles: ADMIN, scope: 'open' },
  [`GET ${A}/sms/status`]: { roles: ADMIN, scope: 'open' },
  // WeCom: the caller's own 群发 tasks to confirm (only ever their own: open); the contact sync (admin).
  [`GET ${A}/wecom/todo`]: { roles: ALL, scope: 'open' },
  [`POST ${A}/wecom/sync`]: { roles: ADMIN, scope: 'open', body: () => ({}) },
  [`POST ${A}/admin/test-email`]: { roles: ADMIN, scope: 'open', body: () => ({ to: 'someone@example.com' }) },
  [`POST ${A}/reports/recompute`]: { roles: ADMIN, scope: 'open', body: () => ({}) },
  // Tags texts the caller sends; reads and writes nothing.
  [`POST ${A}/reports/comment-themes/analyze`]: { roles: STAFF, scope: 'open', body: () => ({ texts: ['物流太慢'] }) },
  [`GET ${A}/reports/comment-themes`]: { roles: STAFF, scope: 'list', query: () => '?groupBy=butler' },
  // The victim's case summary's themes, corrected.
  [`PUT ${A}/reports/comment-themes/:id`]: {
    roles: STAFF,
    scope: 'owned',
    body: () => ({ themes: [{ key: 'price', polarity: 'negative' }] }),
  },
  [`POST ${A}/templates`]: {
    roles: ADMIN,
    scope: 'open',
    body: () => ({ name: '越权模板', occasion: 'custom', subject: '您好', body: '{{customer.name}}，您好' }),
  },
  [`PATCH ${A}/templates/:id`]: { roles: ADMIN, scope: 'open', body: () => ({ subject: '被改了' }) },

  // Clients and everything hanging off them: the owner butler, their manager, an admin.
  [`POST ${A}/customers`]: {
    roles: ALL,
    scope: 'owned',
    body: (c) => ({ name: '越权客户', butlerId: c.v.butlerId, consent: { greetings: true, surveys: true } }),
    // The body names the victim butler: a butler may only create clients for themselves (403,
    // as customers.e2e-spec says), a manager only for a butler of their team (400 naming butlerId).
    expect: { otherButler: { status: 403 }, colleague: { status: 403 }, otherManager: { status: 400 } },
  },
  [`GET ${A}/customers`]: { roles: ALL, scope: 'list', query: (c) => `?butlerId=${c.v.butlerId}` },
  [`GET ${A}/customers/:id`]: { roles: ALL, scope: 'owned' },
  [`PATCH ${A}/customers/:id`]: { roles: ALL, scope: 'owned', body: () => ({ name: '改名', tier: 'regular' }) },
  [`DELETE ${A}/customers/:id`]: { roles: ALL, scope: 'owned' },
  [`POST ${A}/customers/bulk-assign`]: {
    roles: STAFF,
    scope: 'owned',
    body: (c) => ({ customerIds: [c.v.customer.id], butlerId: aButlerOf(c) }),
  },
  [`POST ${A}/customers/:id/assign`]: { roles: STAFF, scope: 'owned', body: (c) => ({ butlerId: aButlerOf(c) }) },
  [`GET ${A}/customers/:id/audit`]: { roles: STAFF, scope: 'owned' },
  [`GET ${A}/customers/:id/taste-profile`]: { roles: ALL, scope: 'owned' },
  [`PUT ${A}/customers/:id/taste-profile`]: {
    roles: ALL,
    scope: 'owned',
    body: () => ({ aromas: [{ type: 'qing', weight: 1 }], occasions: ['personal'] }),
  },
  [`GET ${A}/customers/:customerId/purchases`]: { roles: ALL, scope: 'owned' },
  [`POST ${A}/customers/:customerId/purchases`]: {
    roles: ALL,
    scope: 'owned',
    body: (c) => ({
      orderRef: `AM-${randomUUID()}`,
      channel: 'store',
      purchasedAt: new Date().toISOString(),
      items: [{ productId: c.v.productId, quantity: 1, unitPriceFen: 100 }],
    }),
  },
  [`GET ${A}/customers/:id/metrics`]: { roles: ALL, scope: 'owned' },
  [`GET ${A}/customers/:id/recommendations`]: { roles: ALL, scope: 'owned', query: () => '?limit=3' },
  [`GET ${A}/customers/:customerId/timeline`]: { roles: ALL, scope: 'owned' },
  [`GET ${A}/customers/:id/interactions`]: { roles: ALL, scope: 'owned' },
  [`POST ${A}/customers/:id/interactions`]: {
    roles: ALL,
    scope: 'owned',
    body: () => ({ kind: 'visit', outcome: 'reached', occurredAt: new Date().toISOString(), summary: '越权记一笔' }),
  },
  [`GET ${A}/messages`]: { roles: ALL, scope: 'owned', query: (c) => `?customerId=${c.v.customer.id}` },
  [`GET ${A}/customers/export`]: { roles: STAFF, scope: 'list', query: (c) => `?butlerId=${c.v.butlerId}` },
  [`POST ${A}/customers/import`]: {
    roles: STAFF,
    scope: 'owned',
    // One row naming the victim's mobile and butler: it would rename the victim and move them.
    body: (c) => ({
      raw: `姓名,手机,管家邮箱\r\n改名,${c.v.customer.mobile},${c.caller.team?.butler.email ?? ''}\r\n`,
      contentType: 'text/csv',
    }),
    // An import answers 200 with per-row errors (valid rows are kept): the row is refused, so
    // nothing may be written.
    expect: { otherManager: { status: 200, unchanged: true } },
  },

  // A butler plans their own follow-ups (issue 15): the victim's client is out of reach, 404.
  [`POST ${A}/follow-ups`]: {
    roles: ALL,
    scope: 'owned',
    body: (c) => ({ customerId: c.v.customer.id, butlerId: aButlerOf(c), dueAt: inAMonth(), kind: 'manual', note: '' }),
  },
  [`GET ${A}/follow-ups`]: { roles: ALL, scope: 'list', query: (c) => `?customerId=${c.v.customer.id}` },
  [`GET ${A}/follow-ups/:id`]: { roles: ALL, scope: 'owned' },
  // The owning butler reschedules their own: everyone else's is out of reach, 404.
  [`PATCH ${A}/follow-ups/:id`]: {
    roles: ALL,
    scope: 'owned',
    body: () => ({ dueAt: inAMonth(), status: 'cancelled' }),
  },
  [`POST ${A}/follow-ups/:id/complete`]: {
    roles: ALL,
    scope: 'owned',
    body: () => ({ outcome: 'reached', channel: 'phone', note: '越权完成' }),
  },

  [`POST ${A}/cases`]: {
    roles: ALL,
    scope: 'owned',
    body: (c) => ({
      customerId: c.v.customer.id,
      purchaseId: c.v.purchaseId,
      type: 'quality',
      priority: 'high',
      channel: 'phone',
      summary: '越权开单',
    }),
  },
  [`GET ${A}/cases`]: { roles: ALL, scope: 'list', query: (c) => `?customerId=${c.v.customer.id}` },
  [`GET ${A}/cases/:id`]: { roles: ALL, scope: 'owned' },
  [`PATCH ${A}/cases/:id`]: { roles: ALL, scope: 'owned', body: () => ({ summary: '改了', priority: 'low' }) },
  [`POST ${A}/cases/:id/notes`]: { roles: ALL, scope: 'owned', body: () => ({ body: '偷看' }) },
  [`POST ${A}/cases/:id/transition`]: { roles: ALL, scope: 'owned', body: () => ({ to: 'in_progress' }) },

  [`GET ${A}/templates/:id/preview`]: { roles: STAFF, scope: 'owned', query: (c) => `?customerId=${c.v.customer.id}` },
  [`GET ${A}/greetings/campaigns`]: { roles: STAFF, scope: 'list' },
  // Relationship survey programs: a manager's asks their team; another team's is out of reach.
  [`GET ${A}/survey-programs`]: { roles: STAFF, scope: 'list' },
  [`GET ${A}/survey-programs/:id`]: { roles: STAFF, scope: 'owned' },
  [`GET ${A}/survey-programs/:id/report`]: { roles: STAFF, scope: 'owned' },
  [`GET ${A}/survey-programs/:id/sample-preview`]: { roles: STAFF, scope: 'owned' },
  [`PATCH ${A}/survey-programs/:id`]: { roles: STAFF, scope: 'owned', body: () => ({ name: '越权改名' }) },
  [`POST ${A}/survey-programs/:id/start`]: { roles: STAFF, scope: 'owned', body: () => ({}) },
  [`POST ${A}/survey-programs/:id/pause`]: { roles: STAFF, scope: 'owned', body: () => ({}) },
  [`GET ${A}/greetings/campaigns/:id`]: { roles: STAFF, scope: 'owned' },
  [`GET ${A}/greetings/campaigns/:id/preview`]: { roles: STAFF, scope: 'owned' },
  [`PATCH ${A}/greetings/campaigns/:id`]: { roles: STAFF, scope: 'owned', body: () => ({ status: 'cancelled' }) },
  [`POST ${A}/greetings/campaigns/:id/retry-failed`]: { roles: STAFF, scope: 'owned', body: () => ({}) },
  [`GET ${A}/care/upcoming`]: { roles: ALL, scope: 'list', query: () => '?days=3' },
  [`GET ${A}/surveys/responses`]: { roles: ALL, scope: 'list', query: (c) => `?customerId=${c.v.customer.id}` },
  // The victim's answer is not flagged: its manager hears so (409); others must not reach it.
  [`POST ${A}/surveys/responses/:id/clear-flag`]: {
    roles: STAFF,
    scope: 'owned',
    body: () => ({ note: '越权解除标记' }),
    expect: { owner: { status: 409 } },
  },

  // Reports. PRODUCT.md gives /reports/butlers to managers and admins; the app also answers a
  // butler with their own row only (surveys.e2e-spec relies on it), so it is checked as a scoped
  // list: no other butler's row may appear. The same for the drivers (an aggregate: the victim's
  // answers must not be counted).
  [`GET ${A}/reports/butlers`]: { roles: ALL, scope: 'list' },
  // Exports (CSV here, so the needles can be read): what the policy lets each caller see.
  [`GET ${A}/exports/survey-responses`]: { roles: ALL, scope: 'list', query: () => '?format=csv' },
  [`GET ${A}/exports/cases`]: { roles: ALL, scope: 'list', query: () => '?format=csv' },
  [`GET ${A}/exports/follow-ups`]: { roles: ALL, scope: 'list', query: () => '?format=csv' },
  [`GET ${A}/exports/scorecard`]: { roles: ALL, scope: 'list', query: () => '?format=csv' },
  // Outbound webhooks: admins only (they send client data to another system).
  [`GET ${A}/webhooks`]: { roles: ADMIN, scope: 'open' },
  [`POST ${A}/webhooks`]: {
    roles: ADMIN,
    scope: 'open',
    body: () => ({ url: 'http://127.0.0.1:9/matrix', events: ['case.changed'] }),
  },
  [`GET ${A}/webhooks/deliveries`]: { roles: ADMIN, scope: 'open' },
  [`PATCH ${A}/webhooks/:id`]: { roles: ADMIN, scope: 'open', body: () => ({ active: false }) },
  [`POST ${A}/webhooks/:id/rotate-secret`]: { roles: ADMIN, scope: 'open', body: () => ({}) },
  [`DELETE ${A}/webhooks/:id`]: { roles: ADMIN, scope: 'open' },
  [`GET ${A}/reports/butlers/:id/trend`]: { roles: ALL, scope: 'owned', query: () => '?interval=week' },
  [`GET ${A}/reports/drivers`]: { roles: ALL, scope: 'list', visible: (res) => Number(res.body?.responses) > 0 },
  [`GET ${A}/reports/churn`]: { roles: STAFF, scope: 'list', query: (c) => `?butlerId=${c.v.butlerId}` },
  // The root-cause Pareto (docs/sla.md): every role, over the clients it sees; another team is a 404
  // (test/sla.e2e-spec.ts). As a list: nothing of the victim's may show.
  [`GET ${A}/reports/root-causes`]: {
    roles: ALL,
    scope: 'list',
    query: () => '?month=2026-11',
    visible: (res) => Number(res.body?.total) > 0,
  },
  [`GET ${A}/reports/root-causes/:code/items`]: { roles: ALL, scope: 'list', query: () => '?month=2026-11' },
  // Satisfaction by group: a manager's report lists their team's butlers only.
  [`GET ${A}/reports/satisfaction`]: { roles: STAFF, scope: 'list', query: () => '?groupBy=butler' },

  // WeCom's chat toolbar: the JS-SDK signatures (WeCom is off in this app: 409 for everyone
  // signed in; test/wecom-edge.e2e-spec.ts signs with it on), and the client of an external contact
  // (another team's reads as unbound: no 404, nothing of the victim in it).
  [`GET ${A}/wecom/sidebar/js-config`]: {
    roles: ALL,
    scope: 'open',
    query: () => `?url=${encodeURIComponent('https://crm.example.com/wecom/sidebar')}`,
    expect: {
      owner: { status: 409 },
      colleague: { status: 409 },
      otherButler: { status: 409 },
      otherManager: { status: 409 },
    },
  },
  [`GET ${A}/wecom/contacts/:externalUserId`]: { roles: ALL, scope: 'list' },
  [`POST ${A}/wecom/contacts/:externalUserId/bind`]: {
    roles: ALL,
    scope: 'owned',
    body: (c) => ({ customerId: c.v.customer.id }),
  },
  // The hand-over report: the manager's team, an admin's everything.
  [`GET ${A}/wecom/transfers`]: { roles: STAFF, scope: 'list' },
};

// bull-board's API and pages (not our code, so not listed one by one): its onRequest hook lets
// admins only, before the body is read, so an empty body is as good as any.
export const FAMILIES: { pattern: RegExp; rule: RouteRule }[] = [
  {
    pattern: /^(GET|POST|PUT|PATCH|DELETE) \/admin\/queues(\/|$)/,
    rule: { roles: ADMIN, scope: 'open', body: () => ({}) },
  },
];

// What each path parameter is filled with, by the segment before it and its name. A parameter
// missing here fails the matrix: say which victim record it names.
export const PARAMS: Record<string, (v: Victims) => string> = {
  'customers/:id': (v) => v.customer.id,
  'customers/:customerId': (v) => v.customer.id,
  'users/:id': (v) => v.butlerId,
  'products/:id': (v) => v.productId,
  'follow-ups/:id': (v) => v.followUpId,
  'cases/:id': (v) => v.caseId,
  'comment-themes/:id': (v) => v.caseId,
  // A root cause's code (the bar a drill-down opens), not a record.
  'root-causes/:code': () => 'logistics',
  'responses/:id': (v) => v.responseId,
  'templates/:id': (v) => v.templateId,
  'campaigns/:id': (v) => v.campaignId,
  'survey-programs/:id': (v) => v.programId,
  'butlers/:id': (v) => v.butlerId,
  // The victim client's WeCom contact (set by the matrix's setup).
  'contacts/:externalUserId': (v) => victimExternalUserId(v),
  // A year no other test enters a schedule for.
  'holidays/:year': () => '2095',
  // No endpoint: the matrix checks who is let in, not the endpoint's own 404.
  'webhooks/:id': () => '00000000-0000-4000-8000-00000000feed',
  // bull-board: a real queue, and jobs/schedulers that need not exist (refused before lookup).
  'queue/:queueName': () => 'mail',
  'queues/:queueName': () => 'mail',
  ':queueName/:jobId': () => 'no-such-job',
  'retry/:queueStatus': () => 'failed',
  'clean/:queueStatus': () => 'failed',
  'job-schedulers/:schedulerId': () => 'no-such-scheduler',
  'static/*': () => 'x.js',
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isWrite = (method: string): boolean => WRITES.has(method);

export const ruleKey = (route: RouteInfo): string => `${route.method === 'HEAD' ? 'GET' : route.method} ${route.url}`;

export function ruleFor(route: RouteInfo): RouteRule | undefined {
  const key = ruleKey(route);
  return RULES[key] ?? FAMILIES.find((f) => f.pattern.test(key))?.rule;
}

// Each `:param` (or `*`) of a path with the key PARAMS knows it by.
export function pathParams(url: string): { key: string; token: string }[] {
  const segments = url.split('/');
  return segments.flatMap((segment, i) =>
    segment.startsWith(':') || segment === '*' ? [{ key: `${segments[i - 1]}/${segment}`, token: segment }] : [],
  );
}

// What the matrix does not know yet, as messages telling the developer what to add.
export function unknownRoutes(routes: RouteInfo[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const route of routes) {
    if (route.method === 'OPTIONS' || isPublic(route)) continue;
    const rule = ruleFor(route);
    seen.add(ruleKey(route));
    if (!rule)
      problems.push(
        `${route.method} ${route.url}: no access rule; add it to RULES in test/support/access-matrix.ts ` +
          '(who may call it, and whose records it reaches)',
      );
    for (const { key } of pathParams(route.url)) {
      if (!PARAMS[key])
        problems.push(
          `${route.method} ${route.url}: path parameter "${key}" has no victim id; ` +
            'add it to PARAMS in test/support/access-matrix.ts',
        );
    }
    if (rule && isWrite(route.method) && route.method !== 'DELETE' && !rule.body) {
      problems.push(
        `${route.method} ${route.url}: no sample body; give its rule a valid body in test/support/access-matrix.ts`,
      );
    }
  }
  for (const key of Object.keys(RULES)) {
    if (!seen.has(key)) problems.push(`${key}: in RULES but the app has no such route; remove or rename it`);
  }
  return problems;
}

export function concreteUrl(route: RouteInfo, c: MatrixContext, rule: RouteRule): string {
  let url = route.url;
  for (const { key, token } of pathParams(route.url)) url = url.replace(token, PARAMS[key](c.v));
  return url + (rule.query?.(c) ?? '');
}

// The outcome the rules give a caller: 401 without a token, 403 for a role the route does not
// admit, 404 for a record outside the caller's scope, 2xx otherwise.
export function expectedOutcome(rule: RouteRule, caller: Caller): Outcome {
  if (caller.role === null) return { status: 401 };
  const special = rule.expect?.[caller.key];
  if (special) return special;
  if (!rule.roles.includes(caller.role)) return { status: 403 };
  return rule.scope === 'owned' ? { status: 404 } : { status: 'ok' };
}

export const isRejection = (o: Outcome): boolean =>
  o.unchanged === true || (typeof o.status === 'number' && o.status >= 400);

export const victimVisible = (rule: RouteRule, res: HttpResult, v: Victims): boolean =>
  (rule.visible ?? showsVictim)(res, v);

// The legitimate reader of a victim record: the owner butler, else their manager, else an admin.
export function ownerRole(rule: RouteRule): Role {
  return (['butler', 'manager', 'admin'] as const).find((r) => rule.roles.includes(r))!;
}

// A fingerprint of every application table (row count and an md5 of all rows). Nothing is left
// out: a refused request has no business writing anywhere, audit_log and messages included.
export async function tableNames(db: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await db.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
      AND table_name <> 'typeorm_migrations' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

// The one write a refused request makes on purpose: an answer that revealed another team's record
// exists is audited (action 'probe', ExistenceProbes); those rows are left out of the comparison.
const DELIBERATE_WRITES: Record<string, string> = { audit_log: `WHERE x.action <> 'probe'` };

export async function fingerprint(db: DataSource, tables: string[]): Promise<Record<string, string>> {
  const sql = tables
    .map(
      (t) =>
        `SELECT '${t}' AS t, count(*)::text || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h
           FROM "${t}" x ${DELIBERATE_WRITES[t] ?? ''}`,
    )
    .join(' UNION ALL ');
  const rows: { t: string; h: string }[] = await db.query(sql);
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((t) => before[t] !== after[t]);
}
