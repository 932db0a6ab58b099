import { pinyin } from 'pinyin-pro';

// The keys a client is searched by (search.ts), computed by every writer of a name: the entity's
// saves, the CSV import's batches, the seeds and the migration that filled the existing rows.
// No imports but pinyin-pro: migrations load this file as it is.

export interface NameSearchKeys {
  // Full pinyin without tones or spaces, lowercase, ü as v: 蔡德明 → caideming, 吕布 → lvbu.
  pinyin: string;
  // The first letter of each syllable (and of each Latin word): 蔡德明 → cdm.
  initials: string;
}

// pinyin-pro's surname mode for the head of the name reads the surname as a surname (单 shan,
// 曾 zeng, 解 xie, 区 ou, 仇 qiu; compound surnames 欧阳, 司马, 尉迟 as a whole). The given name is
// read as pinyin-pro reads it in a word: a polyphonic given name gets its most common reading
// (docs/limits.md). Latin letters and digits are kept (John Smith → johnsmith, js); anything else
// (punctuation, emoji, other scripts) is left out of the keys.
export function nameSearchKeys(name: string): NameSearchKeys {
  const parts = pinyin(name, {
    mode: 'surname',
    surname: 'head',
    toneType: 'none',
    type: 'all',
    v: true,
    nonZh: 'consecutive',
  });
  let full = '';
  let initials = '';
  for (const part of parts) {
    if (part.isZh) {
      full += part.pinyin;
      initials += part.first;
      continue;
    }
    for (const word of part.origin
      .normalize('NFKC')
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? []) {
      full += word;
      initials += word[0];
    }
  }
  return { pinyin: full, initials };
}
