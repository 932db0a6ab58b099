import { salutation } from './salutation';

describe('salutation', () => {
  it('addresses clients politely', () => {
    expect(salutation('蔡德明', 'male')).toBe('蔡先生');
    expect(salutation('李静', 'female')).toBe('李女士');
    expect(salutation('欧阳明月', 'female')).toBe('欧阳女士');
    expect(salutation('张三', null)).toBe('张三');
  });
});
