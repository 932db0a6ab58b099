// Nodemailer reports SMTP replies in responseCode and network trouble in code. `outage` is a
// provider that cannot be reached at all (any channel's provider may report it): the connection
// refused, timed out (the greeting never came) or cut, with no SMTP reply. The message never left,
// so it waits without spending an attempt (ChannelCircuit). Any SMTP reply means the server is
// there: a 4xx (421 included: nodemailer cannot tell a 421 to RCPT from one to the greeting) is a
// retry, counted as an attempt; a 5xx reply is final.
export type SendFailure = { kind: 'retry' | 'permanent' | 'outage'; reason: string };

interface SmtpLikeError {
  responseCode?: number;
  code?: string;
  response?: string;
  message?: string;
  rejectedErrors?: SmtpLikeError[];
}

// Nodemailer's codes for a connection that failed or broke (ECONNECTION, ESOCKET, ETIMEDOUT, EDNS)
// and the system's own.
const OUTAGE_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'ETIMEDOUT',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
const OUTAGE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Greeting never received|Connection closed unexpectedly|timeout/i;

export function classifySendError(error: unknown): SendFailure {
  const e = (error ?? {}) as SmtpLikeError;
  const inner = e.rejectedErrors?.[0];
  const code = e.responseCode ?? inner?.responseCode;
  const reason = (inner?.response ?? e.response ?? e.message ?? String(error)).slice(0, 500);
  if (typeof code === 'number') return { kind: code >= 500 ? 'permanent' : 'retry', reason };
  if (!inner && ((e.code && OUTAGE_CODES.has(e.code)) || OUTAGE_MESSAGE.test(reason)))
    return { kind: 'outage', reason };
  return { kind: 'retry', reason };
}
