import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

import {
  CLAUSE_BREAK,
  DEGREE,
  LEXICON,
  NEGATORS,
  PATTERNS,
  Polarity,
  REQUEST_MARKERS,
  Term,
  Theme,
  THEMES,
} from './lexicon';

export interface TaggedTheme {
  key: Theme;
  polarity: Polarity;
}

type Aspect = Exclude<Theme, 'other'>;
interface Mention {
  theme: Aspect;
  weak: boolean;
}

// How many words back a negator still turns a stance around (degree words not counted):
// 没有任何问题, 并不是很满意.
const NEGATION_REACH = 3;
// Longest negator or degree word stripped off the front of a word jieba kept whole (不太好, 太慢).
const PREFIXES = [...NEGATORS, ...DEGREE].sort((a, b) => b.length - a.length);

// Tags a comment with the themes it speaks of and the client's stance on each: jieba cuts each
// clause into words, the lexicon names aspects and opinions, a negator within a few words turns an
// opinion around, and an opinion goes to the aspects named since the last one (口感和包装都很好).
// A clause that asks or wishes mentions its themes with no stance. A comment naming no theme is
// `other`, with the stance of its words. Pure and synchronous: about 40k short comments a second.
export class ThemeTagger {
  private readonly jieba: Jieba;

  constructor() {
    this.jieba = Jieba.withDict(dict);
    // Lexicon words jieba would cut apart are added whole, so 辣喉 or 防伪码 stay one word.
    const missing = [...LEXICON.keys(), ...NEGATORS].filter((w) => w.length > 1 && this.jieba.cut(w, false).length > 1);
    if (missing.length) this.jieba.loadDict(Buffer.from(missing.map((w) => `${w} 3000`).join('\n')));
  }

  tag(text: string): TaggedTheme[] {
    const scores = new Map<Aspect, { sum: number; last: number }>();
    const mention = (theme: Aspect, polarity: number) => {
      const s = scores.get(theme) ?? { sum: 0, last: 0 };
      s.sum += polarity;
      if (polarity !== 0) s.last = polarity;
      scores.set(theme, s);
    };
    let untethered = 0;
    // Aspects named in a clause with no stance, carried to the next clause (口感，包装都很好).
    let carried: Mention[] = [];

    for (const clause of normalize(text).split(CLAUSE_BREAK)) {
      if (!clause) continue;
      const request = REQUEST_MARKERS.some((m) => clause.includes(m)) || /[吗嘛呢]$/.test(clause);
      let open: Mention[] = carried;
      let recent: Mention[] = [];
      let net = 0;
      const apply = (targets: Mention[], polarity: number) => {
        const strong = targets.filter((m) => !m.weak);
        for (const m of strong.length ? strong : targets) mention(m.theme, request ? 0 : polarity);
      };
      for (const p of PATTERNS) {
        if (p.re.test(clause)) {
          mention(p.theme, request ? 0 : p.polarity);
          net += p.polarity;
          recent = [{ theme: p.theme, weak: false }];
        }
      }
      const words = this.jieba.cut(clause, false);
      for (let i = 0; i < words.length; i++) {
        const found = lookup(words[i]);
        if (!found) continue;
        const { term } = found;
        // 好 before a stance is a degree word (好贵, 好快), not a stance of its own.
        if (DEGREE.has(words[i]) && i + 1 < words.length && lookup(words[i + 1])?.term.polarity) continue;
        if (term.polarity === undefined) {
          open.push({ theme: term.theme!, weak: term.weak === true });
          continue;
        }
        const flips = found.negated + negatorsBefore(words, i);
        const polarity = flips % 2 === 1 ? -term.polarity : term.polarity;
        net += polarity;
        if (term.theme) {
          mention(term.theme, request ? 0 : polarity);
          recent = [{ theme: term.theme, weak: false }];
          if (open.some((m) => m.theme === term.theme)) open = [];
        } else if (open.length) {
          apply(open, polarity);
          recent = open;
          open = [];
        } else if (recent.length) {
          apply(recent, polarity);
        } else if (!request) {
          untethered += polarity;
        }
      }
      // What the clause named but gave no stance of its own takes the clause's stance, if any;
      // with none, it waits for the next clause.
      if (open.length && (net !== 0 || request)) apply(open, Math.sign(net));
      carried = open.length && net === 0 && !request ? open : [];
    }
    for (const m of carried) mention(m.theme, 0);

    // A weak aspect (酒, 管家) named beside a stronger theme was only the subject of the sentence.
    const tagged: TaggedTheme[] = THEMES.flatMap((key) => {
      const s = key === 'other' ? undefined : scores.get(key);
      if (!s) return [];
      return [{ key, polarity: polarityOf(s.sum !== 0 ? s.sum : s.last) }];
    });
    return tagged.length ? tagged : [{ key: 'other', polarity: polarityOf(untethered) }];
  }
}

function polarityOf(score: number): Polarity {
  return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
}

// Full-width letters and digits to half-width, lower case, spaces out: 「ＯＫ」 and "ok" alike.
function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

// A word of the lexicon, or one with negators or degree words stuck on its front (不太好, 太慢,
// 一点也不辣): the word, and how many negators were stripped.
function lookup(word: string): { term: Term; negated: number } | null {
  const direct = LEXICON.get(word);
  if (direct) return { term: direct, negated: 0 };
  let rest = word;
  let negated = 0;
  for (let guard = 0; guard < 4 && rest.length > 1; guard++) {
    const prefix = PREFIXES.find((p) => rest.length > p.length && rest.startsWith(p));
    if (!prefix) break;
    if (NEGATORS.has(prefix)) negated++;
    rest = rest.slice(prefix.length);
    const term = LEXICON.get(rest);
    if (term) return { term, negated };
  }
  return null;
}

// Negators within reach before word i (degree words in between are skipped, not counted).
function negatorsBefore(words: string[], i: number): number {
  let flips = 0;
  let reach = 0;
  for (let j = i - 1; j >= 0 && reach < NEGATION_REACH; j--) {
    if (NEGATORS.has(words[j])) flips++;
    else if (DEGREE.has(words[j])) continue;
    else if (LEXICON.get(words[j])?.polarity) break;
    reach++;
  }
  return flips;
}
