// Consent to contact, once: may this client be sent a message of this purpose? Only while it is on
// the books, has said yes to the purpose, and has an address to send to. The first failing check
// names the refusal. As TypeScript over a customers row (snake_case, as queried) and as SQL over a
// customers alias; test/business-rules.e2e-spec.ts checks they agree.
export type ContactPurpose = 'greetings' | 'surveys';

export type ContactRefusal = 'customer_deleted' | 'no_consent' | 'no_email';

export interface ContactRow {
  deleted_at: Date | null;
  email: string | null;
  consent_greetings?: boolean;
  consent_surveys?: boolean;
}

// The consent column of a purpose: consent_greetings, consent_surveys.
const consentColumn = (purpose: ContactPurpose): 'consent_greetings' | 'consent_surveys' => `consent_${purpose}`;

export function hasConsent(row: Pick<ContactRow, 'consent_greetings' | 'consent_surveys'>, purpose: ContactPurpose) {
  return row[consentColumn(purpose)] === true;
}

export const consentSql = (alias: string, purpose: ContactPurpose): string => `${alias}.${consentColumn(purpose)}`;

export function contactRefusal(row: ContactRow, purpose: ContactPurpose): ContactRefusal | null {
  if (row.deleted_at) return 'customer_deleted';
  if (!hasConsent(row, purpose)) return 'no_consent';
  if (!row.email) return 'no_email';
  return null;
}

export const contactRefusalSql = (alias: string, purpose: ContactPurpose): string =>
  `CASE WHEN ${alias}.deleted_at IS NOT NULL THEN 'customer_deleted'
        WHEN NOT ${consentSql(alias, purpose)} THEN 'no_consent'
        WHEN ${alias}.email IS NULL THEN 'no_email' END`;
