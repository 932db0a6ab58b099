// WeCom answered with errcode ≠ 0. `duringToken`: the access token itself could not be had
// (gettoken refused the corp id or secret), so every call on that app fails the same way.
export class WecomApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly path: string,
    readonly duringToken = false,
  ) {
    super(`wecom ${path} errcode ${errcode}: ${errmsg}`);
    this.name = 'WecomApiError';
  }
}

// WeCom did not answer (connection refused, timeout, HTTP 5xx, not JSON).
export class WecomUnreachableError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`wecom ${path} unreachable: ${reason}`);
    this.name = 'WecomUnreachableError';
  }
}

// The wecom settings section is off or lacks what the call needs (corp id, the app's secret).
export class WecomNotConfiguredError extends Error {
  constructor(readonly missing: string[]) {
    super(missing.length > 0 ? `wecom is not configured: ${missing.join(', ')} missing` : 'wecom is not enabled');
    this.name = 'WecomNotConfiguredError';
  }
}

// Errcodes that mean the access token is no longer good: fetch a new one and call again, once.
// 40014 invalid access_token, 42001 access_token expired, 40001 invalid credential.
export const TOKEN_ERRCODES = new Set([40014, 42001, 40001]);

// Errcodes that mean "not now" (45009: API frequency limit; -1: system busy; 45033: concurrency).
export const RETRY_ERRCODES = new Set([45009, -1, 45033, 45035]);
