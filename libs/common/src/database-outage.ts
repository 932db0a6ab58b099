import { Logger } from '@nestjs/common';

import { htmlPage } from './html-page';

// PostgreSQL away (refused, restarting, the connection cut, no connection within the pool's
// timeout): not the caller's fault nor a bug of ours, and over once the database is back.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const UNAVAILABLE_MESSAGE = new RegExp(
  [
    'Connection terminated',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error',
    'the database system is (starting up|shutting down|in recovery)',
    'connection is closed',
  ].join('|'),
  'i',
);
// TypeORM releases a transaction's query runner when its connection errors; the commit then
// throws one of these (the transaction was never committed). The second was seen by the chaos run's
// PostgreSQL restart on the outbox's mark transaction.
const RELEASED_RUNNER = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);
export function isDatabaseUnavailable(exception: unknown): boolean {
  for (
    let error = exception as {
        code?: unknown;
        message?: unknown;
        name?: unknown;
        driverError?: unknown;
        cause?: unknown;
      } | null,
      depth = 0;
    error && depth < 4;
    depth++
  ) {
    if (typeof error.code === 'string' && UNAVAILABLE_CODES.has(error.code)) return true;
    if (typeof error.name === 'string' && RELEASED_RUNNER.has(error.name)) return true;
    if (typeof error.message === 'string' && UNAVAILABLE_MESSAGE.test(error.message)) return true;
    error = (error.driverError ?? error.cause ?? null) as typeof error;
  }
  return false;
}

// Seconds a client is asked to wait while the database is away.
export const DATABASE_RETRY_AFTER_S = 5;

// What a client's page (survey, unsubscribe) shows while the database is away. Both pages are
// safe to submit again: a survey answered twice is kept once, an unsubscribe twice is one.
export const UNAVAILABLE_PAGE = htmlPage(
  '暂时无法访问',
  '<h1>系统暂时无法访问</h1><p>服务正在恢复，请稍等片刻后刷新本页重试。刚才提交的内容可能尚未保存，重新提交不会重复记录。</p>',
);

// An outage is logged when it starts and then once a minute, not once per request.
const OUTAGE_LOG_MS = 60_000;

export class DatabaseOutageLog {
  private outage: { loggedAt: number; refused: number } | null = null;

  constructor(private readonly logger: Logger) {}

  note(exception: unknown): void {
    const now = Date.now();
    if (this.outage && now - this.outage.loggedAt < OUTAGE_LOG_MS) {
      this.outage.refused++;
      return;
    }
    const refused = this.outage?.refused ?? 0;
    this.outage = { loggedAt: now, refused: 0 };
    const reason = exception instanceof Error ? exception.message : String(exception);
    const more = refused ? ` (${refused} more request(s) refused since the last report)` : '';
    this.logger.error(`Database unavailable, answering 503: ${reason}${more}`);
  }
}
