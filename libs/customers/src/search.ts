import { SqlFragment, sqlFragment } from '@app/common';

// How a butler finds a client (docs/api.md, "Finding a client"): by the name or part of it, by the
// name's pinyin or its initials from the start (蔡德明: caideming, caide, cdm, cd), and by the
// mobile's first 3+ or last 4+ digits. The pinyin is stored with the name (name-keys.ts) in
// indexed columns, so each of these is a prefix range of an index.

// What a search box's text asks for, once normalised.
export type ClientQuery =
  // Digits (+86, spaces, dashes, dots and brackets dropped): the mobile's first 3+ or last 4+
  // digits. `key` is the digits as a name's keys would hold them, so a name that is digits is
  // found too.
  | { kind: 'mobile'; digits: string; key: string }
  // Latin letters only (spaces and apostrophes dropped, full-width letters folded): the pinyin or
  // its initials, from the start.
  | { kind: 'pinyin'; letters: string }
  // Anything else (Chinese characters, or too few digits for a mobile): part of the name, as typed.
  | { kind: 'name'; text: string };

const MOBILE_SEPARATORS = /[\s\-–—.()]/g;

export function parseClientQuery(q: string): ClientQuery {
  const typed = q.trim();
  // NFKC folds full-width letters, digits, spaces and brackets (ＣＤＭ, １３８, （）) to ASCII.
  const text = typed.normalize('NFKC');
  const phone = text.replace(MOBILE_SEPARATORS, '');
  if (/^\+?\d+$/.test(phone)) {
    // China's code: +86 always; 0086 or a bare 86 only before a whole mobile (0086 alone may be
    // the last four digits a butler typed).
    const digits = phone.startsWith('+86')
      ? phone.slice(3)
      : (/^(?:00)?86(1\d{10})$/.exec(phone)?.[1] ?? phone.replace(/^\+/, ''));
    if (digits.length >= 3) return { kind: 'mobile', digits, key: phone.replace(/^\+/, '') };
  }
  const letters = text.toLowerCase().replace(/[\s'’·]/g, '');
  if (/^[a-z]+$/.test(letters)) return { kind: 'pinyin', letters };
  return { kind: 'name', text: typed };
}

// The `q` filter as a condition on a customers row (alias). Each branch is a prefix range of an
// index (migrations/1795430000000-CustomerPinyin.ts), so PostgreSQL reads only the matches; part
// of a name filters the rows the caller's scope already narrowed.
export function clientSearchSql(alias: string, q: string): SqlFragment {
  const query = parseClientQuery(q);
  switch (query.kind) {
    case 'mobile': {
      const { digits, key } = query;
      const reversed = [...digits].reverse().join('');
      return sqlFragment((bind) => {
        const arms = [`${alias}.mobile LIKE ${bind(`${digits}%`)}`];
        if (digits.length >= 4) arms.push(`reverse(${alias}.mobile) LIKE ${bind(`${reversed}%`)}`);
        arms.push(`${alias}.name_pinyin LIKE ${bind(`${key}%`)}`);
        return `(${arms.join(' OR ')})`;
      });
    }
    case 'pinyin':
      return sqlFragment((bind) => {
        const pattern = bind(`${query.letters}%`);
        return `(${alias}.name_initials LIKE ${pattern} OR ${alias}.name_pinyin LIKE ${pattern})`;
      });
    case 'name':
      return sqlFragment((bind) => `${alias}.name ILIKE ${bind(`%${escapeLike(query.text)}%`)}`);
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
