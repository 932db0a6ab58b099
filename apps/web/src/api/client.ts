// The one way the console talks to the API: JSON over fetch with the session's bearer token.
// Errors keep the API's `code` and, for a VALIDATION_FAILED, its `fields`, so forms can say each
// field's problem in Chinese where it belongs (components/formErrors.ts). The English `message`
// is kept for logs and tests, never shown.

const BASE = '/api/v1';
const TOKEN_KEY = 'butler.token';

// One bad field of a VALIDATION_FAILED body: its path, the rule it broke, what the text needs.
export interface ApiFieldProblem {
  field: string;
  code: string;
  params?: Record<string, unknown>;
}

// The code of a request that never got an answer (offline, DNS, the server down).
export const NETWORK_ERROR = 'NETWORK_ERROR';

export class ApiError extends Error {
  constructor(
    // 0 when the request got no answer.
    readonly status: number,
    // The API's `message`: a list of "field must …" sentences for a 400, a sentence otherwise.
    readonly messages: string[],
    // The rest of the error body: the domain `code` and what it names (`fields`, counts, the
    // schedule's bad `lines`…).
    readonly details: Record<string, unknown> = {},
  ) {
    super(messages.join('; ') || `HTTP ${status}`);
  }

  // The API's domain code (libs/common/src/error-codes.ts), NETWORK_ERROR without an answer.
  get code(): string {
    if (this.status === 0) return NETWORK_ERROR;
    return typeof this.details.code === 'string' ? this.details.code : '';
  }

  get fields(): ApiFieldProblem[] {
    return Array.isArray(this.details.fields) ? (this.details.fields as ApiFieldProblem[]) : [];
  }
}

// An error answer's body (JSON or not) as an ApiError.
export function apiErrorFromBody(status: number, text: string): ApiError {
  try {
    const data = JSON.parse(text) as { message?: string | string[] } & Record<string, unknown>;
    const messages = Array.isArray(data.message) ? data.message : data.message ? [data.message] : [];
    return new ApiError(status, messages, data);
  } catch {
    return new ApiError(status, []);
  }
}

let onUnauthorized: () => void = () => undefined;

// The session registers what to do when the token is missing or expired (back to login).
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export const tokenStore = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string): void => localStorage.setItem(TOKEN_KEY, token),
  clear: (): void => localStorage.removeItem(TOKEN_KEY),
};

export type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function api<T>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  return (await apiWithStatus<T>(method, path, body, init)).data;
}

// The same, with the HTTP status, for the routes whose status says something the body does not
// (a purchase posted again with its orderRef: 200 instead of 201, with the same body).
export async function apiWithStatus<T>(
  method: string,
  path: string,
  body?: unknown,
  init: RequestInit = {},
): Promise<{ status: number; data: T }> {
  const token = tokenStore.get();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      ...init,
      method,
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
      body: body === undefined ? undefined : isForm ? (body as FormData) : JSON.stringify(body),
    });
  } catch (error) {
    // "Failed to fetch": no answer at all. An aborted request stays what it is.
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, []);
  }
  if (res.status === 401 && path !== '/auth/login') {
    tokenStore.clear();
    onUnauthorized();
  }
  if (!res.ok) throw apiErrorFromBody(res.status, await res.text().catch(() => ''));
  if (res.status === 204) return { status: res.status, data: undefined as T };
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, data: (type.includes('application/json') ? await res.json() : await res.text()) as T };
}

export const http = {
  get: <T>(path: string, query?: Query) => api<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => api<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => api<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => api<T>('DELETE', path),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
