import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

import {
  BUTLER_TITLE,
  BUTLER_WORDS,
  CLAUSE_BREAK,
  DAMAGE,
  DEGREE,
  DELIVERY_PEOPLE,
  IF_NEEDED,
  IN_TRANSIT,
  LEXICON,
  NEGATORS,
  PATTERNS,
  Polarity,
  PRODUCT_WISH,
  RELIEF,
  REQUEST_MARKERS,
  STANCE_PATTERNS,
  SURNAMES,
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
    // The themes the clause named, and those of the clause before it.
    let here = new Set<Aspect>();
    let before = new Set<Aspect>();
    // Whether the clause before it asked or wished (能不能出小瓶装，方便带着: the reason for a wish).
    let requestBefore = false;
    const mention = (theme: Aspect, polarity: number) => {
      here.add(theme);
      const s = scores.get(theme) ?? { sum: 0, last: 0 };
      s.sum += polarity;
      if (polarity !== 0) s.last = polarity;
      scores.set(theme, s);
    };
    let untethered = 0;
    // Aspects named in a clause with no stance, carried to the next clause (口感，包装都很好).
    let carried: Mention[] = [];

    const normalized = normalize(text);
    // The courier's manner (很客气, 辛苦了) and answers (电话打不通) are about the delivery, in a comment
    // that names no butler.
    const deliveryPeople = DELIVERY_PEOPLE.test(normalized) && !BUTLER_WORDS.test(normalized);
    const courier = (theme: Aspect): Aspect =>
      deliveryPeople && (theme === 'attitude' || theme === 'responsiveness') ? 'delivery' : theme;
    const inTransit = IN_TRANSIT.test(normalized);
    for (const raw of normalized.split(CLAUSE_BREAK)) {
      // 有问题找管家 names a problem that may come, not one that came.
      // 说好的 is a promise, not praise.
      const clause = raw.replace(IF_NEEDED, '').replace(RELIEF, '').replace(PROMISED, '答应');
      if (!clause) continue;
      // 方便不方便, 好不好: a question, whose two halves are no stance.
      const request =
        REQUEST_MARKERS.some((m) => clause.includes(m)) || /[吗嘛呢]$/.test(clause) || A_NOT_A.test(clause);
      // A wish for a new product speaks of the range (other), whatever theme its words name.
      if (request && PRODUCT_WISH.test(clause)) {
        carried = [];
        continue;
      }
      let open: Mention[] = carried;
      const untetheredBefore = untethered;
      let recent: Mention[] = [];
      let net = 0;
      // Whether the clause named a theme outright: then its weak aspects (酒, 管家) were only its subject.
      let strongSeen = false;
      // In a wish, praise is no stance (希望包装更精美), a complaint still is (希望别再漏酒).
      const stance = (polarity: number) => (request && polarity > 0 ? 0 : polarity);
      const apply = (targets: Mention[], polarity: number) => {
        const strong = targets.filter((m) => !m.weak);
        // A weak aspect alone is counted only with a stance (存酒 is no comment on the taste).
        for (const m of strong.length ? strong : targets)
          if (!m.weak || stance(polarity) !== 0) mention(m.theme, stance(polarity));
      };
      for (const p of PATTERNS) {
        if (p.re.test(clause) && !(p.notInTransit && inTransit)) {
          mention(courier(p.theme), p.always ? p.polarity : stance(p.polarity));
          net += p.polarity;
          recent = [{ theme: courier(p.theme), weak: false }];
          strongSeen = true;
        }
      }
      const words = this.jieba.cut(clause.replace(A_NOT_A_ALL, ''), false);
      for (let i = 0; i < words.length; i++) {
        const found = lookup(words[i]) ?? butlerNamed(words, i);
        if (!found) continue;
        // The courier's manner is about the delivery.
        const term: Term =
          (found.term.theme && courier(found.term.theme) !== found.term.theme) || (inTransit && DAMAGE.has(words[i]))
            ? { ...found.term, theme: 'delivery' }
            : found.term;
        // 好 before a stance is a degree word (好贵, 好快), not a stance of its own.
        if (DEGREE.has(words[i]) && i + 1 < words.length && lookup(words[i + 1])?.term.polarity) continue;
        // 推荐的酒 names what was recommended; it praises nothing.
        if (words[i] === '推荐' && words[i + 1] === '的') continue;
        if (term.polarity === undefined) {
          open.push({ theme: term.theme!, weak: term.weak === true });
          if (!term.weak) strongSeen = true;
          continue;
        }
        const flips = found.negated + negatorsBefore(words, i);
        const polarity = flips % 2 === 1 ? -term.polarity : term.polarity;
        net += polarity;
        // An opinion jieba joined to a weak aspect (速度快) goes to the clause's theme if it has one.
        const strongOpen = open.some((m) => !m.weak) || recent.some((m) => !m.weak);
        // A manner word (周到, 专业) goes to the butler when the clause names them (管家在宴会上照顾周到),
        // and the event named beside keeps waiting for a stance of its own.
        const anchored = term.weak && term.theme && open.some((m) => m.theme === term.theme);
        if (anchored) {
          strongSeen = true;
          mention(term.theme!, stance(polarity));
          open = open.filter((m) => m.theme !== term.theme);
          recent = [{ theme: term.theme!, weak: false }];
        } else if (term.weak && request && !strongOpen && stance(polarity) === 0) {
          // 希望提供更专业的建议: a wish for a service, not a word on the butler's manner.
          continue;
        } else if (term.theme && !(term.weak && strongOpen)) {
          strongSeen = true;
          mention(term.theme, stance(polarity));
          recent = [{ theme: term.theme, weak: false }];
          if (open.some((m) => m.theme === term.theme)) open = [];
        } else if (open.length && (open.some((m) => !m.weak) || !recent.some((m) => !m.weak))) {
          apply(open, polarity);
          recent = open;
          open = [];
        } else if (recent.length) {
          // 找管家要等好久才回: the stance is the late answer's, not the butler's manner.
          apply(recent, polarity);
        } else {
          untethered += stance(polarity);
        }
      }
      for (const p of STANCE_PATTERNS) {
        if (!p.re.test(clause)) continue;
        net += p.polarity;
        if (open.length) {
          apply(open, p.polarity);
          recent = open;
          open = [];
        } else if (recent.length) apply(recent, p.polarity);
        else untethered += stance(p.polarity);
      }
      if (strongSeen) open = open.filter((m) => !m.weak);
      // What the clause named but gave no stance of its own takes the clause's stance, if any;
      // with none, it waits for the next clause.
      if (open.length && (net !== 0 || request)) apply(open, Math.sign(net));
      carried = open.length && net === 0 && !request ? open : [];
      const loose = untethered - untetheredBefore;
      // After a wish, as in one, praise is no stance (能不能出小瓶装，方便带着) and a complaint still is.
      if (!here.size && loose !== 0 && before.size === 1 && !request && !(requestBefore && loose > 0)) {
        // 管家太热情了，有点受不了: a clause with a stance and no theme speaks of the one named before it.
        mention([...before][0], Math.sign(loose));
        untethered = untetheredBefore;
      }
      before = here;
      requestBefore = request;
      here = new Set();
    }
    for (const m of carried) if (!m.weak) mention(m.theme, 0);

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
  // An aspect and its opinion jieba kept as one word (速度快, 表示满意): the opinion, on the aspect.
  // An aspect with a particle stuck on (价格比, 包装上): the aspect.
  for (let cut = 1; cut < word.length; cut++) {
    const aspect = LEXICON.get(word.slice(0, cut));
    if (aspect?.theme && aspect.polarity === undefined && PARTICLES.has(word.slice(cut))) {
      return { term: aspect, negated: 0 };
    }
    const head = LEXICON.get(word.slice(0, cut));
    const tail = LEXICON.get(word.slice(cut));
    if (tail?.polarity === undefined) continue;
    if (head?.polarity === undefined && (head?.theme || LEADS.has(word.slice(0, cut)))) {
      const weak = !tail.theme && head?.weak ? { weak: true as const } : {};
      return { term: { theme: tail.theme ?? head?.theme, polarity: tail.polarity, ...weak }, negated: 0 };
    }
  }
  // A compound jieba kept whole that ends in a named thing (亲子活动, 年货礼盒, 辨别真假): that thing. Not
  // the butler's manner or speed, whose nouns (沟通, 效率) end many words about something else.
  for (let cut = 1; cut <= word.length - 2; cut++) {
    const aspect = LEXICON.get(word.slice(cut));
    if (aspect?.theme && aspect.polarity === undefined && !aspect.weak && !SERVICE.has(aspect.theme)) {
      return { term: aspect, negated: 0 };
    }
  }
  return null;
}

// A butler by name or title, which jieba cuts apart (小/王) or keeps whole (李管家, 王经理): the
// clause's subject, like 管家.
function butlerNamed(words: string[], i: number): { term: Term; negated: number } | null {
  const named =
    BUTLER_TITLE.test(words[i]) || (words[i] === '小' && i + 1 < words.length && SURNAMES.has(words[i + 1]));
  return named ? { term: { theme: 'attitude', weak: true }, negated: 0 } : null;
}

const PROMISED = /说好(了|的)?/g;

// A question said as yes-or-no: 方便不方便, 好不好, 行不行.
const A_NOT_A = /(?<!不)([\u4e00-\u9fff]{1,2})不\1/;
const A_NOT_A_ALL = new RegExp(A_NOT_A, 'g');

const SERVICE = new Set<Theme>(['attitude', 'responsiveness']);

// Particles jieba may keep stuck to an aspect.
const PARTICLES = new Set([
  '比',
  '上',
  '也',
  '都',
  '还',
  '就',
  '和',
  '跟',
  '方面',
  '这块',
  '这边',
  '嘛',
  '呢',
  '啊',
  '的话',
]);

// Words that lead an opinion inside one jieba word: 表示满意, 感到失望.
const LEADS = new Set(['表示', '感到', '觉得', '显得', '比较', '明显', '非常', '十分']);

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
