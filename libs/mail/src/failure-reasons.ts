// Why a message failed, as one of a few categories a manager can act on, derived from the
// message's last_error (the provider's reply or the sender's own reason). One rule, as SQL (for
// counting a campaign's failures in the database) and as TypeScript, the first match winning:
// - rejected: the provider refused it for good (an SMTP 5xx reply: no such mailbox, refused);
// - deferred: the provider asked to try later (SMTP 4xx) until the attempts ran out;
// - unreachable: the provider could not be reached (refused connection, timeout, DNS);
// - no_address: the message had no address to go to;
// - no_provider: no provider is configured for the message's channel;
// - provider_error: anything else the provider answered.
export const FAILURE_REASONS = [
  'rejected',
  'deferred',
  'unreachable',
  'no_address',
  'no_provider',
  'provider_error',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

// Patterns both PostgreSQL (`~*`, POSIX) and JavaScript read alike: no lookarounds, no \d.
const RULES: { reason: Exclude<FailureReason, 'provider_error'>; pattern: string }[] = [
  { reason: 'no_address', pattern: '^no recipient address' },
  { reason: 'no_provider', pattern: '^no provider for channel' },
  { reason: 'rejected', pattern: '^5[0-9][0-9]([ -]|$)|recipient rejected' },
  { reason: 'deferred', pattern: '^4[0-9][0-9]([ -]|$)' },
  {
    reason: 'unreachable',
    pattern:
      'ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|timed? ?out|connection closed|unreachable',
  },
];

export function failureReason(lastError: string | null): FailureReason {
  if (lastError) for (const r of RULES) if (new RegExp(r.pattern, 'i').test(lastError)) return r.reason;
  return 'provider_error';
}

// The same rule over an SQL expression holding last_error (e.g. 'm.last_error').
export function failureReasonSql(lastError: string): string {
  const cases = RULES.map((r) => `WHEN ${lastError} ~* '${r.pattern}' THEN '${r.reason}'`).join(' ');
  return `(CASE ${cases} ELSE 'provider_error' END)`;
}
