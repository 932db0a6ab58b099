import { smsPreview } from './smsPreview';

describe('smsPreview', () => {
  it('fills the sample values after the signature and counts it', () => {
    const preview = smsPreview('白酒管家', '${name}您好，${festival}将至，${butler}祝您节日快乐。回T退订', 'greeting');
    expect(preview.text).toBe('【白酒管家】王先生您好，中秋节将至，李娜祝您节日快乐。回T退订');
    expect(preview.length).toBe(31);
    expect(preview.segments).toBe(1);
    expect(preview.unknown).toEqual([]);
  });

  it('70 characters are one SMS, 71 are two, then 67 a part', () => {
    // 【白酒管家】 is 6 characters.
    expect(smsPreview('白酒管家', '字'.repeat(64), 'greeting')).toMatchObject({ length: 70, segments: 1 });
    expect(smsPreview('白酒管家', '字'.repeat(65), 'greeting')).toMatchObject({ length: 71, segments: 2 });
    expect(smsPreview('白酒管家', '字'.repeat(128), 'greeting')).toMatchObject({ length: 134, segments: 2 });
    expect(smsPreview('白酒管家', '字'.repeat(129), 'greeting')).toMatchObject({ length: 135, segments: 3 });
  });

  it('names a variable the product cannot fill and leaves it as written', () => {
    const preview = smsPreview(null, '请评价 ${url}', 'surveyInvitation');
    expect(preview.unknown).toEqual(['url']);
    expect(preview.text).toBe('【签名】请评价 ${url}');
  });
});
