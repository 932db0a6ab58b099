// Nodemailer reports SMTP replies in responseCode and network trouble in code. 4xx replies and
// connection problems are worth retrying; a 5xx reply is final. `outage` is for a provider that
// cannot be reached at all (any channel's provider may report it).
export type SendFailure = { kind: 'retry' | 'permanent' | 'outage'; reason: string };

interface SmtpLikeError {
  responseCode?: number;
  code?: string;
  response?: string;
  message?: string;
  rejectedErrors?: SmtpLikeError[];
}

export function classifySendError(error: unknown): SendFailure {
  const e = (error ?? {}) as SmtpLikeError;
  const inner = e.rejectedErrors?.[0];
  const code = e.responseCode ?? inner?.responseCode;
  const reason = (inner?.response ?? e.response ?? e.message ?? String(error)).slice(0, 500);
  if (typeof code === 'number' && code >= 500) return { kind: 'permanent', reason };
  return { kind: 'retry', reason };
}
