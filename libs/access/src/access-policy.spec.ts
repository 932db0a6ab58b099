import { scopeOf, teamScope } from './access-policy';

const manager = { id: 'm1', role: 'manager' as const, managerId: null };
const butler = { id: 'b1', role: 'butler' as const, managerId: 'm1' };
const admin = { id: 'a1', role: 'admin' as const, managerId: null };

describe('access policy', () => {
  it('binds its parameters at the offset given, each value once', () => {
    expect(scopeOf(manager).clients('c').at(2)).toEqual({
      sql: 'c.deleted_at IS NULL AND c.butler_id IN (SELECT u.id FROM users u WHERE u.manager_id = $2)',
      params: ['m1'],
    });
    expect(scopeOf(butler).clients('c').at(5)).toEqual({
      sql: 'c.deleted_at IS NULL AND c.butler_id = $5',
      params: ['b1'],
    });
    expect(scopeOf(admin).clients('c').at(3)).toEqual({ sql: 'c.deleted_at IS NULL', params: [] });
    expect(scopeOf(manager).users('u').at(1)).toEqual({
      sql: '(u.manager_id = $1 OR u.id = $1)',
      params: ['m1'],
    });
  });

  it('binds named parameters for a query builder, the butler and their team apart', () => {
    expect(scopeOf(butler).followUps('f', 'c').named()).toEqual({
      sql: 'f.butler_id = :scope0 AND c.butler_id IN (SELECT u.id FROM users u WHERE u.manager_id = :scope1)',
      params: { scope0: 'b1', scope1: 'm1' },
    });
  });

  it('gives a campaign of a team the team manager’s reach, and one of no team everyone’s', () => {
    expect(teamScope('m1').clients('c').at(1).params).toEqual(['m1']);
    expect(teamScope(null).clients('c').at(1)).toEqual({ sql: 'c.deleted_at IS NULL', params: [] });
  });

  it('checks rows in hand as the SQL selects them', () => {
    const client = { butlerId: 'b2', butlerManagerId: 'm1', deleted: false };
    expect(scopeOf(manager).seesClient(client)).toBe(true);
    expect(scopeOf(butler).seesClient(client)).toBe(false);
    expect(scopeOf(admin).seesClient({ ...client, deleted: true })).toBe(false);
    expect(scopeOf(butler).seesTeam('m1')).toBe(true);
    expect(scopeOf(manager).seesTeam('m2')).toBe(false);
    expect(scopeOf(admin).seesTeam(null)).toBe(true);
  });
});
