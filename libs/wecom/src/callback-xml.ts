// WeCom's callback XML is flat: <xml> holding elements whose text is CDATA or plain text. Read just
// that — no DTDs, no entities beyond the five predefined, no nesting — so nothing an XML parser
// could be made to fetch or expand is ever parsed. Anything else is not WeCom's and is refused.

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const MAX_BYTES = 64 * 1024;

export function parseFlatXml(xml: string): Record<string, string> | null {
  if (xml.length > MAX_BYTES || /<!DOCTYPE|<!ENTITY/i.test(xml)) return null;
  const body = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml>([\s\S]*)<\/xml>\s*$/.exec(xml);
  if (!body) return null;
  const fields: Record<string, string> = {};
  const element = /\s*<([A-Za-z][A-Za-z0-9_]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>\s*/y;
  let rest = body[1];
  while (rest.trim().length > 0) {
    element.lastIndex = 0;
    const m = element.exec(rest);
    if (!m) return null;
    const text = m[2] ?? m[3].replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => ENTITIES[name]);
    fields[m[1]] = text;
    rest = rest.slice(element.lastIndex);
  }
  return fields;
}
