import { itemsLine, telHref } from './phone';

describe('tel: links', () => {
  it('keeps digits and a leading plus', () => {
    expect(telHref('13800138000')).toBe('tel:13800138000');
    expect(telHref('+86 138 0013 8000')).toBe('tel:+8613800138000');
    expect(telHref(' 138-0013-8000 ')).toBe('tel:13800138000');
  });

  it('gives nothing to dial for an empty or absent number', () => {
    expect(telHref(null)).toBeUndefined();
    expect(telHref(undefined)).toBeUndefined();
    expect(telHref('')).toBeUndefined();
    expect(telHref('—')).toBeUndefined();
  });
});

describe('purchase items in one line', () => {
  it('names each product with its quantity, in Chinese punctuation', () => {
    expect(
      itemsLine([
        { productName: '飞天茅台', sku: 'MT-53', productId: 'p1', quantity: 2 },
        { productName: null, sku: 'WLY-52', productId: 'p2', quantity: 1 },
        { productId: 'p3', quantity: 6 },
      ]),
    ).toBe('飞天茅台 × 2，WLY-52 × 1，p3 × 6');
    expect(itemsLine([])).toBe('');
  });
});
