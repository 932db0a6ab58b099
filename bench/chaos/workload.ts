import { sleep } from './services';

// The chaos run's mixed workload over HTTP: butlers reading and writing their clients, purchases
// arriving (some posted twice), clients answering surveys (some twice), an admin sending test
// emails, an operator polling /health and a manager watching the campaign and the scorecard.
// Every answer is recorded with its time, what was expected, and (when unexpected) its body.

export interface Call {
  kind: string;
  start: number;
  end: number;
  status: number; // 0: no answer (connection error or timeout)
  expected: number[];
  // Set when the status was expected but the body was wrong (e.g. a re-posted order answered
  // with another purchase).
  wrong?: string;
  // The body (first 300 characters) of an unexpected answer.
  body?: string;
}

export interface Answer {
  status: number;
  body: unknown;
  text: string;
  // How many times it was sent (more than once after 503s).
  attempts: number;
}

const TIMEOUT_MS = 15_000;
// A client that gets a 503 waits for its Retry-After (1–3 s) and sends the same request again,
// with the same Idempotency-Key, for this long.
const RETRY_FOR_MS = 30_000;

export interface RequestOptions {
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  expect: number[];
  // Retry a 503; a retry may answer any of these (e.g. 200 to a re-sent order the first attempt
  // recorded after all).
  retry?: number[];
  idempotencyKey?: string;
}

export class Http {
  readonly calls: Call[] = [];

  constructor(private readonly baseUrl: string) {}

  async request(kind: string, method: string, path: string, options: RequestOptions): Promise<Answer> {
    const deadline = Date.now() + RETRY_FOR_MS;
    let answer = await this.once(kind, method, path, options, options.expect);
    let attempts = 1;
    while (options.retry && answer.status === 503 && Date.now() < deadline) {
      const after = Number(answer.retryAfter);
      await sleep(Math.min(3, Math.max(1, Number.isFinite(after) ? after : 1)) * 1000);
      answer = await this.once(kind, method, path, options, options.retry);
      attempts++;
    }
    return { status: answer.status, body: answer.body, text: answer.text, attempts };
  }

  private async once(
    kind: string,
    method: string,
    path: string,
    options: RequestOptions,
    expect: number[],
  ): Promise<Omit<Answer, 'attempts'> & { retryAfter: string | null }> {
    const headers: Record<string, string> = {};
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | undefined;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const start = Date.now();
    let status = 0;
    let text: string;
    let retryAfter: string | null = null;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await res.text();
    } catch (error) {
      text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const call: Call = { kind, start, end: Date.now(), status, expected: expect };
    if (!expect.includes(status)) call.body = text.slice(0, 2_000);
    this.calls.push(call);
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* HTML or text */
    }
    return { status, body: parsed, text, retryAfter };
  }

  // Marks the last recorded call of this kind as answered wrongly.
  markWrong(kind: string, why: string): void {
    for (let i = this.calls.length - 1; i >= 0; i--) {
      if (this.calls[i].kind === kind) {
        this.calls[i].wrong = why;
        return;
      }
    }
  }
}

export interface Butler {
  id: string;
  email: string;
  token: string;
  customers: string[];
}

export interface PurchaseRecord {
  orderRef: string;
  customerId: string;
  butler: Butler;
  body: object;
  purchaseId: string | null;
  // Its answer (after any retries of 503s): 201, or 200 when a retry found the first attempt
  // recorded after all.
  firstStatus: number;
  retried: boolean;
  reposts: number;
  // When it was first posted, by this process's clock (the API's: both run on the same one, even
  // under faketime); PostgreSQL's created_at is on the database server's.
  postedAt: Date;
}

export interface SurveyRecord {
  token: string;
  detractor: boolean;
  status: number; // of the first submission (after any retries of 503s)
  retried: boolean;
  reposts: number;
}

export interface WorkloadState {
  purchases: Map<string, PurchaseRecord>;
  surveys: SurveyRecord[];
  testEmails: { id: string | null; status: number; retried: boolean }[];
}

export interface WorkloadConfig {
  http: Http;
  runId: string;
  butlers: Butler[];
  adminToken: string;
  managerToken: string;
  productIds: { id: string; priceFen: number }[];
  surveyTokens: string[];
  campaignId: string;
  // Asia/Shanghai days for the scorecard request.
  reportFrom: string;
  reportTo: () => string;
  stopAt: number;
  // Purchase dates, days before now (each implies a different number of follow-ups).
  purchaseAgeDays: number[];
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
const between = (lo: number, hi: number): number => lo + Math.random() * (hi - lo);

// An ISO time with the +08:00 offset, as clients in China send it.
export function shanghaiIso(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

export async function runWorkload(config: WorkloadConfig): Promise<WorkloadState> {
  const state: WorkloadState = { purchases: new Map(), surveys: [], testEmails: [] };
  const running = (): boolean => Date.now() < config.stopAt;
  const loops: Promise<void>[] = [];
  for (const butler of config.butlers) loops.push(butlerLoop(config, butler, running));
  for (let i = 0; i < 2; i++) loops.push(purchaseLoop(config, state, running, i));
  const tokens = [...config.surveyTokens];
  for (let i = 0; i < 2; i++) loops.push(surveyLoop(config, state, tokens, running));
  loops.push(adminLoop(config, state, running));
  loops.push(healthLoop(config, running));
  loops.push(managerLoop(config, running));
  await Promise.all(loops);
  return state;
}

async function butlerLoop(config: WorkloadConfig, butler: Butler, running: () => boolean): Promise<void> {
  const { http } = config;
  const others = config.butlers.filter((b) => b.id !== butler.id);
  let cursor: string | null = null;
  while (running()) {
    const r = Math.random();
    const customerId = pick(butler.customers);
    if (r < 0.3) {
      const res = await http.request(
        'GET /customers',
        'GET',
        `/api/v1/customers?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        {
          token: butler.token,
          expect: [200],
        },
      );
      if (res.status === 200) {
        const page = res.body as { items?: { butlerId?: string }[]; nextCursor?: string | null };
        if (!Array.isArray(page.items) || page.items.some((c) => c.butlerId !== butler.id))
          http.markWrong('GET /customers', "a butler listed another butler's client");
        cursor = page.nextCursor && Math.random() < 0.7 ? page.nextCursor : null;
      }
    } else if (r < 0.7) {
      const res = await http.request('GET /customers/:id', 'GET', `/api/v1/customers/${customerId}`, {
        token: butler.token,
        expect: [200],
      });
      if (res.status === 200 && (res.body as { id?: string }).id !== customerId)
        http.markWrong('GET /customers/:id', 'another client answered');
    } else if (r < 0.9) {
      const notes = `管家回访记录 ${new Date().toISOString()}`;
      const res = await http.request('PATCH /customers/:id', 'PATCH', `/api/v1/customers/${customerId}`, {
        token: butler.token,
        json: { notes },
        expect: [200],
        retry: [200],
      });
      if (res.status === 200 && (res.body as { notes?: string }).notes !== notes)
        http.markWrong('PATCH /customers/:id', 'the change was not saved');
    } else if (r < 0.95 && others.length > 0) {
      // Someone else's client: 404, existence not leaked.
      await http.request('GET /customers/:id (not own)', 'GET', `/api/v1/customers/${pick(pick(others).customers)}`, {
        token: butler.token,
        expect: [404],
      });
    } else {
      await http.request('GET /customers/:id/timeline', 'GET', `/api/v1/customers/${customerId}/timeline?limit=20`, {
        token: butler.token,
        expect: [200],
      });
    }
    await sleep(between(30, 90));
  }
}

async function purchaseLoop(
  config: WorkloadConfig,
  state: WorkloadState,
  running: () => boolean,
  lane: number,
): Promise<void> {
  const { http } = config;
  let n = 0;
  while (running()) {
    const mine = [...state.purchases.values()];
    if (mine.length > 5 && Math.random() < 0.2) {
      // The same order again (a retrying till): 200 with the first purchase, nothing new.
      const again = pick(mine);
      if (again.purchaseId) {
        again.reposts++;
        const res = await http.request(
          'POST purchases (same orderRef)',
          'POST',
          `/api/v1/customers/${again.customerId}/purchases`,
          { token: again.butler.token, json: again.body, expect: [200], retry: [200] },
        );
        if (res.status === 200 && (res.body as { id?: string }).id !== again.purchaseId)
          http.markWrong('POST purchases (same orderRef)', 'another purchase answered');
      }
    } else {
      const butler = pick(config.butlers);
      const customerId = pick(butler.customers);
      const product = pick(config.productIds);
      const ageDays = pick(config.purchaseAgeDays);
      const orderRef = `CHAOS-${config.runId}-${lane}-${n++}`;
      const body = {
        orderRef,
        channel: pick(['store', 'wechat', 'phone', 'online']),
        purchasedAt: shanghaiIso(new Date(Date.now() - ageDays * 86_400_000 - 5 * 60_000)),
        items: [{ productId: product.id, quantity: 1 + Math.floor(Math.random() * 3), unitPriceFen: product.priceFen }],
      };
      const record: PurchaseRecord = {
        orderRef,
        customerId,
        butler,
        body,
        purchaseId: null,
        firstStatus: 0,
        retried: false,
        reposts: 0,
        postedAt: new Date(),
      };
      state.purchases.set(orderRef, record);
      const res = await http.request('POST purchases', 'POST', `/api/v1/customers/${customerId}/purchases`, {
        token: butler.token,
        json: body,
        expect: [201],
        retry: [201, 200],
      });
      record.firstStatus = res.status;
      record.retried = res.attempts > 1;
      if (res.status === 201 || (res.status === 200 && record.retried))
        record.purchaseId = (res.body as { id?: string }).id ?? null;
    }
    await sleep(between(80, 200));
  }
}

// Answered: 200, or 409 to a retry (the attempt that got a 503 was recorded after all).
export const surveyAnswered = (s: SurveyRecord): boolean => s.status === 200 || (s.status === 409 && s.retried);

function surveyAnswers(): { form: Record<string, string>; detractor: boolean } {
  const r = Math.random();
  const csat = r < 0.05 ? 1 : r < 0.12 ? 2 : r < 0.25 ? 3 : r < 0.6 ? 4 : 5;
  const form: Record<string, string> = { csat: String(csat) };
  let nps: number | null = null;
  if (Math.random() < 0.85) {
    nps = Math.max(0, Math.min(10, csat * 2 + Math.floor(Math.random() * 3) - 1));
    form.nps = String(nps);
  }
  for (const d of ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles']) {
    if (Math.random() < 0.8) form[d] = String(Math.max(1, Math.min(5, csat + Math.floor(Math.random() * 3) - 1)));
  }
  if (Math.random() < 0.3) form.comment = pick(['酒很好，送货也快', '包装有点破损', '管家很用心', '希望多些品鉴活动']);
  return { form, detractor: csat <= 2 || (nps !== null && nps <= 6) };
}

async function surveyLoop(
  config: WorkloadConfig,
  state: WorkloadState,
  tokens: string[],
  running: () => boolean,
): Promise<void> {
  const { http } = config;
  while (running()) {
    const answered = state.surveys.filter((s) => s.status === 200);
    if ((answered.length > 5 && Math.random() < 0.1) || tokens.length === 0) {
      if (answered.length === 0) break;
      // The client presses "submit" again: 409, counted once.
      const again = pick(answered);
      again.reposts++;
      await http.request('POST /s/:token (again)', 'POST', `/s/${again.token}`, {
        form: surveyAnswers().form,
        expect: [409],
        retry: [409],
      });
    } else {
      const token = tokens.pop() as string;
      const { form, detractor } = surveyAnswers();
      const record: SurveyRecord = { token, detractor, status: 0, retried: false, reposts: 0 };
      state.surveys.push(record);
      // A retry answered 409 (already answered): the attempt that got the 503 was recorded.
      const res = await http.request('POST /s/:token', 'POST', `/s/${token}`, {
        form,
        expect: [200],
        retry: [200, 409],
      });
      record.status = res.status;
      record.retried = res.attempts > 1;
    }
    await sleep(between(60, 160));
  }
}

async function adminLoop(config: WorkloadConfig, state: WorkloadState, running: () => boolean): Promise<void> {
  let n = 0;
  while (running()) {
    // With an Idempotency-Key: a retry after a 503 gets the first answer (or 409 when the first
    // attempt's outcome was never recorded), never a second email.
    const res = await config.http.request('POST /admin/test-email', 'POST', '/api/v1/admin/test-email', {
      token: config.adminToken,
      json: { to: `ops${n}@chaos.example.com` },
      expect: [202],
      retry: [202, 409],
      idempotencyKey: `chaos-${config.runId}-test-email-${n++}`,
    });
    state.testEmails.push({
      id: res.status === 202 ? ((res.body as { id?: string }).id ?? null) : null,
      status: res.status,
      retried: res.attempts > 1,
    });
    await sleep(1_000);
  }
}

async function healthLoop(config: WorkloadConfig, running: () => boolean): Promise<void> {
  while (running()) {
    await config.http.request('GET /health', 'GET', '/health', { expect: [200] });
    await sleep(500);
  }
}

async function managerLoop(config: WorkloadConfig, running: () => boolean): Promise<void> {
  let n = 0;
  while (running()) {
    await config.http.request(
      'GET /greetings/campaigns/:id',
      'GET',
      `/api/v1/greetings/campaigns/${config.campaignId}`,
      { token: config.managerToken, expect: [200] },
    );
    if (n++ % 3 === 0) {
      await config.http.request(
        'GET /reports/butlers',
        'GET',
        `/api/v1/reports/butlers?from=${config.reportFrom}&to=${config.reportTo()}`,
        { token: config.managerToken, expect: [200] },
      );
    }
    await sleep(2_000);
  }
}
