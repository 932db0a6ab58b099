// Personal data is kept out of logs: mobiles keep their first 3 and last 4 digits, emails their
// first letter and domain.
const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

export function maskPersonalData(text: string): string {
  return text.replace(MOBILE, '$1****$2').replace(EMAIL, '$1***@$2');
}

export function maskEmail(email: string): string {
  return maskPersonalData(email);
}
