import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { LabelledComment, scoreTagger } from './evaluation';
import { ThemeTagger } from './theme-tagger';

const tagger = new ThemeTagger();
const tag = (text: string) => Object.fromEntries(tagger.tag(text).map((x) => [x.key, x.polarity]));

describe('theme tagger', () => {
  it('finds each theme a comment speaks of, with the stance on each', () => {
    expect(tag('酒很顺口，就是物流太慢了')).toEqual({ taste: 'positive', delivery: 'negative' });
    expect(tag('管家很热情，就是回复有点慢')).toEqual({ attitude: 'positive', responsiveness: 'negative' });
    expect(tag('这酒口感醇厚价格实惠')).toEqual({ taste: 'positive', price: 'positive' });
    expect(tag('客户反映礼盒封口渗漏，要求换货')).toEqual({ packaging: 'negative' });
  });

  it('turns a stance around after a negator, a few words back or stuck to the word', () => {
    expect(tag('口感并不差')).toEqual({ taste: 'positive' });
    expect(tag('一点也不辣喉')).toEqual({ taste: 'positive' });
    expect(tag('管家不太热情')).toEqual({ attitude: 'negative' });
    expect(tag('包装没有任何破损')).toEqual({ packaging: 'positive' });
    expect(tag('不是很满意这次的送货')).toEqual({ delivery: 'negative' });
  });

  it('hears the butler called by name, and a manner word said of an event as the event', () => {
    expect(tag('小王服务很周到')).toEqual({ attitude: 'positive' });
    expect(tag('李管家人很好')).toEqual({ attitude: 'positive' });
    expect(tag('品鉴会安排得很周到')).toEqual({ event: 'positive' });
    expect(tag('发货速度很快')).toEqual({ delivery: 'positive' });
    expect(tag('客户要求更换管家')).toEqual({ attitude: 'negative' });
    expect(tag('管家太热情了，有点受不了')).toEqual({ attitude: 'negative' });
  });

  it('gives the courier his own words, and a relief no stance', () => {
    expect(tag('快递员电话打不通')).toEqual({ delivery: 'negative' });
    expect(tag('快递盒压扁了，好在酒没事')).toEqual({ delivery: 'negative' });
    expect(tag('补发得很及时')).toEqual({ responsiveness: 'positive' });
    expect(tagger.tag('已安排补发')).toEqual([{ key: 'other', polarity: 'neutral' }]);
  });

  it('gives a stance to every aspect named before it, across a comma', () => {
    expect(tag('酒的口感，包装都很好')).toEqual({ taste: 'positive', packaging: 'positive' });
  });

  it('reads implicit complaints: a long wait, a late answer, a code that does not scan', () => {
    expect(tag('等了一周才到')).toEqual({ delivery: 'negative' });
    expect(tag('消息发了两天才回')).toEqual({ responsiveness: 'negative' });
    expect(tag('防伪码扫了显示异常')).toEqual({ authenticity: 'negative' });
    expect(tag('找管家半天没人回')).toEqual({ responsiveness: 'negative' });
    expect(tag('晚上发消息第二天早上才回')).toEqual({ responsiveness: 'negative' });
    expect(tag('有问题找管家，基本秒回')).toEqual({ responsiveness: 'positive' });
  });

  it('hears a wish or a question as a mention with no stance', () => {
    expect(tag('希望多办几场品鉴会')).toEqual({ event: 'neutral' });
    expect(tag('能不能出小瓶装')).toEqual({ packaging: 'neutral' });
  });

  it('calls a comment with no theme other, with its stance', () => {
    expect(tagger.tag('挺好的')).toEqual([{ key: 'other', polarity: 'positive' }]);
    expect(tagger.tag('')).toEqual([{ key: 'other', polarity: 'neutral' }]);
    expect(tagger.tag('ＯＫ')).toEqual([{ key: 'other', polarity: 'neutral' }]);
  });

  // A labelled set written apart from the lexicon (test/fixtures; 429 comments). The target
  // is 0.8 precision and recall per theme: `npm run bench -- themes` prints the figures against it.
  // The lexicon was tuned on the even half only; the odd half is held out (docs/comment-themes.md).
  // This holds the tagger to no worse than it reads today, so a lexicon change that loses ground fails.
  const items = JSON.parse(
    readFileSync(join(__dirname, '../../../test/fixtures/comment-themes.labelled.json'), 'utf8'),
  ) as LabelledComment[];
  const below = (part: LabelledComment[], floor: Record<string, number>) =>
    scoreTagger(part, (text) => tagger.tag(text))
      .filter((s) => s.precision < (floor[s.theme] ?? floor.any) || s.recall < floor.recall)
      .map((s) => `${s.theme}: precision ${s.precision.toFixed(2)}, recall ${s.recall.toFixed(2)}`);

  it('keeps its precision and recall per theme on the labelled comments', () => {
    expect(items.length).toBeGreaterThanOrEqual(300);
    expect(below(items, { any: 0.85, other: 0.8, recall: 0.85 })).toEqual([]);
    const scores = scoreTagger(items, (text) => tagger.tag(text));
    const hits = scores.reduce((n, s) => n + s.hits, 0);
    const stance = scores.reduce((n, s) => n + s.polarityHits, 0);
    expect(stance / hits).toBeGreaterThanOrEqual(0.87);
  });

  // The held-out half is the honest figure: the issue's 0.8 for every theme but `other`'s precision
  // (0.70 today: a themed comment the lexicon misses falls to other; docs/limits.md).
  it("meets the issue's 0.8 on the half it was not tuned on, but other's precision", () => {
    expect(
      below(
        items.filter((_, i) => i % 2 === 1),
        { any: 0.8, other: 0.68, recall: 0.8 },
      ),
    ).toEqual([]);
  });

  // The blind set (240 comments) was written by another engineer who never saw the lexicon or the
  // labelled set, and first scored after the tuning: the 0.8 for every theme, precision and
  // recall. Never tune the lexicon on it: grow it from the labelled set and corrections instead.
  it("meets the issue's 0.8 for every theme on the blind set", () => {
    const blind = JSON.parse(
      readFileSync(join(__dirname, '../../../test/fixtures/comment-themes.blind.json'), 'utf8'),
    ) as LabelledComment[];
    expect(blind.length).toBeGreaterThanOrEqual(200);
    expect(below(blind, { any: 0.8, recall: 0.8 })).toEqual([]);
  });
});
