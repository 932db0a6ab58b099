import { MobileIndex } from './mobile-index';

describe('MobileIndex', () => {
  it('remembers the first row of every mobile through many resizes', () => {
    const index = new MobileIndex();
    for (let i = 0; i < 50_000; i++) expect(index.claim(13_800_000_000 + i * 7919, i + 1)).toBeUndefined();
    expect(index.size).toBe(50_000);
    for (let i = 0; i < 50_000; i += 997) expect(index.claim(13_800_000_000 + i * 7919, 999_999)).toBe(i + 1);
    expect(index.claim(19_999_999_999, 3)).toBeUndefined();
    expect(index.claim(19_999_999_999, 4)).toBe(3);
    expect(index.size).toBe(50_001);
  });
});
