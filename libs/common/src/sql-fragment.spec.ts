import { sqlFragment, sqlLiteral, SqlParams } from './sql-fragment';

// pg's escapeLiteral, as the export's COPY uses it: quotes doubled, E'' with backslashes doubled.
function escapeLiteral(text: string): string {
  const quoted = text.replace(/'/g, "''");
  return text.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

describe('SqlParams', () => {
  const inTeam = sqlFragment((bind) => `c.butler_id = ANY(${bind(['b1', 'b2'])}::uuid[]) AND c.tier = ${bind('gold')}`);

  it('binds positionally, a fragment after the values before it', () => {
    const p = new SqlParams();
    const sql = `${p.value(new Date('2027-01-01T00:00:00Z'))} AND ${p.fragment(inTeam)}`;
    expect(sql).toBe('$1 AND c.butler_id = ANY($2::uuid[]) AND c.tier = $3');
    expect(p.values).toEqual([new Date('2027-01-01T00:00:00Z'), ['b1', 'b2'], 'gold']);
  });

  it('writes literals for COPY, which takes no parameters, with nothing left to bind', () => {
    const p = new SqlParams(sqlLiteral(escapeLiteral));
    expect(p.value(new Date('2027-01-01T00:00:00Z'))).toBe(`'2027-01-01T00:00:00.000Z'`);
    expect(p.fragment(inTeam)).toBe(`c.butler_id = ANY('{"b1","b2"}'::uuid[]) AND c.tier = 'gold'`);
    expect(p.value(null)).toBe('NULL');
    expect(p.value(["it's", 'a "b"', null])).toBe(` E'{"it''s","a \\\\"b\\\\"",NULL}'`);
    expect(p.value("O'Brien; DROP TABLE x --")).toBe(`'O''Brien; DROP TABLE x --'`);
    expect(p.values).toEqual([]);
  });
});
