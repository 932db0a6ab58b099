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

  it('gives a stance to every aspect named before it, across a comma', () => {
    expect(tag('酒的口感，包装都很好')).toEqual({ taste: 'positive', packaging: 'positive' });
  });

  it('reads implicit complaints: a long wait, a late answer, a code that does not scan', () => {
    expect(tag('等了一周才到')).toEqual({ delivery: 'negative' });
    expect(tag('消息发了两天才回')).toEqual({ responsiveness: 'negative' });
    expect(tag('防伪码扫了显示异常')).toEqual({ authenticity: 'negative' });
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
});
