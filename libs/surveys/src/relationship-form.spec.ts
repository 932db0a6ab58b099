import { parseRelationshipForm } from './relationship-form';

describe('relationship survey form', () => {
  const brands = ['茅台', '五粮液'];

  it('reads a full answer, brands repeated as the checkboxes send them', () => {
    const parsed = parseRelationshipForm(
      {
        nps: '9',
        csat: '5',
        quality: '4',
        value: '3',
        favourability: '5',
        comparison: 'better',
        brands: ['茅台', '五粮液'],
        otherBrands: ' 郎酒 ',
        exp_reliability: '5',
        reliability: '4',
        needs: '希望有小瓶装',
      },
      brands,
    );
    expect(parsed).toEqual({
      answers: expect.objectContaining({
        nps: 9,
        csat: 5,
        comparison: 'better',
        brands: ['茅台', '五粮液'],
        otherBrands: '郎酒',
        expectation: expect.objectContaining({ reliability: 5, empathy: null }),
        perception: expect.objectContaining({ reliability: 4, tangibles: null }),
        needs: '希望有小瓶装',
      }),
    });
  });

  it('names every problem at once, in Chinese', () => {
    const parsed = parseRelationshipForm(
      { quality: '6', comparison: 'best', brands: '人头马', exp_empathy: 'x', needs: '酒'.repeat(1001) },
      brands,
    );
    expect('problems' in parsed && parsed.problems.map((p) => p.field)).toEqual([
      'nps',
      'csat',
      'quality',
      'comparison',
      'brands',
      'exp_empathy',
      'needs',
    ]);
  });
});
