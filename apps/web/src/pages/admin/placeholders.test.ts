import { insertPlaceholder } from './placeholders';

describe('inserting a placeholder tag', () => {
  it('goes where the caret is', () => {
    expect(insertPlaceholder('尊敬的，您好', 'customer.salutation', 3, 3)).toEqual({
      text: '尊敬的{{customer.salutation}}，您好',
      caret: 26,
    });
  });
  it('replaces a selection', () => {
    expect(insertPlaceholder('祝 XX 节日快乐', 'customer.name', 2, 4).text).toBe('祝 {{customer.name}} 节日快乐');
  });
  it('appends when the field never had focus', () => {
    expect(insertPlaceholder('中秋快乐', 'year', -1, -1)).toEqual({ text: '中秋快乐{{year}}', caret: 12 });
  });
});
