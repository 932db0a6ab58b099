import { maskPersonalData } from './privacy';

describe('maskPersonalData', () => {
  it('hides the middle of mainland mobiles and the local part of emails', () => {
    expect(maskPersonalData('客户 13812345678 wang.jianguo@example.com')).toBe('客户 138****5678 w***@example.com');
  });

  it('leaves longer digit runs such as order numbers alone', () => {
    expect(maskPersonalData('order 2026112213812345678')).toBe('order 2026112213812345678');
  });
});
