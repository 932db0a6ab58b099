import { renderGreeting, templateProblems } from './template-rules';

describe('greeting templates', () => {
  it('accepts the known placeholders', () => {
    expect(
      templateProblems('尊敬的{{customer.salutation}}，{{festival.name}}快乐！—— {{butler.name}}', 'body'),
    ).toEqual([]);
  });

  it('rejects unknown placeholders, helpers, blocks and partials, naming the field', () => {
    expect(templateProblems('{{customer.mobile}}', 'body')).toEqual([
      expect.stringContaining('unknown placeholder {{customer.mobile}}'),
    ]);
    expect(templateProblems('{{#each customers}}{{name}}{{/each}}', 'body')[0]).toContain(
      'blocks, partials and helpers',
    );
    expect(templateProblems('{{> secret}}', 'subject')[0]).toMatch(/^subject may only use/);
    expect(templateProblems('{{lookup customer "mobile"}}', 'body')[0]).toContain('helpers are not allowed');
    expect(templateProblems('{{constructor.constructor}}', 'body')[0]).toContain('unknown placeholder');
    // Names an object has through its prototype are not placeholders either.
    for (const inherited of ['{{constructor}}', '{{__proto__}}', '{{[toString]}}'])
      expect(templateProblems(inherited, 'body')[0]).toContain('unknown placeholder');
    expect(templateProblems('{{customer.name', 'body')[0]).toMatch(/^body is not a valid template/);
  });

  it('renders placeholders and leaves HTML for the HTML step to escape', () => {
    const text = renderGreeting('{{customer.salutation}}：{{festival.name}}快乐', {
      customer: { name: '<b>王</b>', salutation: '王先生' },
      butler: { name: '林' },
      festival: { name: '中秋节', date: '2027-09-15' },
    });
    expect(text).toBe('王先生：中秋节快乐');
  });
});
