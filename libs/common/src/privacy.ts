// Personal data is kept out of logs: mobiles keep their first 3 and last 4 digits, emails their
// first letter and domain. Mobiles as people type them too (found by a red team: "+86 138 1234
// 5678", "138-1234-5678" and "0086…" went through), and emails URL-encoded (%40).
const MOBILE = /(?<![\d+])(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)/g;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(?:@|%40)([A-Za-z0-9.-]+\.[A-Za-z]{2,})/gi;

export function maskPersonalData(text: string): string {
  return text.replace(MOBILE, '$1****$2').replace(EMAIL, '$1***@$2');
}

// Percent-encoding undone (twice, for double-encoded input), so what is masked is what the
// server read: "/%73/<token>" is the survey page "/s/<token>". A malformed escape stays as it is.
export function decodePercent(text: string): string {
  let out = text;
  for (let pass = 0; pass < 2 && /%[0-9A-Fa-f]{2}/.test(out); pass++) {
    out = out.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
  return out;
}

export function maskEmail(email: string): string {
  return maskPersonalData(email);
}
