import { AuthUser, SqlFragment, sqlFragment } from '@app/common';

// The one access policy: "may this actor see or act on this client, butler or team", as SQL for
// the queries and as a TypeScript check for rows already loaded. A butler reaches their own clients,
// a manager their team's butlers and those butlers' clients, an admin everything. Whatever is out of
// reach is "not found", so existence is not leaked. Features never re-derive it.
export type Actor = Pick<AuthUser, 'id' | 'role' | 'managerId'>;

// A user as the policy reads them: id and, for a butler, their team (their manager's id).
export interface UserRef {
  id: string;
  managerId: string | null;
}

// A client: its butler, that butler's team, and whether it is deleted (out of everyone's reach).
export interface ClientRef {
  butlerId: string;
  butlerManagerId: string | null;
  deleted: boolean;
}

// A follow-up: whom it is assigned to (a butler, or a manager for a recovery task), their team, and
// the team of its client's butler.
export interface FollowUpRef {
  assigneeId: string;
  assigneeManagerId: string | null;
  clientTeamId: string | null;
}

// One condition, bindable either way: positionally into raw SQL at a parameter offset, or with
// named parameters into a TypeORM query builder (libs/common/src/sql-fragment.ts).
export type ScopeSql = SqlFragment;

// The butlers of a team, as a condition on a butler id column (an index probe on users.manager_id).
const inTeam = (butlerColumn: string, team: string): string =>
  `${butlerColumn} IN (SELECT u.id FROM users u WHERE u.manager_id = ${team})`;

export interface Scope {
  readonly actor: Actor;
  // Users (alias of a users row): a manager sees their team and themselves, a butler themselves.
  users(alias: string): ScopeSql;
  seesUser(user: UserRef): boolean;
  // Clients (alias of a customers row), deleted ones excluded.
  clients(alias: string): ScopeSql;
  seesClient(client: ClientRef): boolean;
  // Rows belonging to a team (a column holding the team's manager id, e.g. a campaign's).
  teams(column: string): ScopeSql;
  seesTeam(managerId: string | null): boolean;
  // Follow-ups (alias f) with their client (alias c): assigned to the actor or, for a manager, to
  // their team, while the client is in the actor's team. A client moved to another team takes its
  // follow-ups out of the old team's reach.
  followUps(followUpAlias: string, clientAlias: string): ScopeSql;
  seesFollowUp(followUp: FollowUpRef): boolean;
}

export function scopeOf(actor: Actor): Scope {
  // The team an actor belongs to: a manager's own, a butler's manager's; none for an admin.
  const team = actor.role === 'manager' ? actor.id : actor.managerId;
  const seesUser = (user: UserRef): boolean => {
    switch (actor.role) {
      case 'admin':
        return true;
      case 'manager':
        return user.id === actor.id || user.managerId === actor.id;
      case 'butler':
        return user.id === actor.id;
    }
  };
  return {
    actor,
    users: (alias) =>
      sqlFragment((bind) => {
        switch (actor.role) {
          case 'admin':
            return 'TRUE';
          case 'manager':
            return `(${alias}.manager_id = ${bind(actor.id)} OR ${alias}.id = ${bind(actor.id)})`;
          case 'butler':
            return `${alias}.id = ${bind(actor.id)}`;
        }
      }),
    seesUser,
    clients: (alias) =>
      sqlFragment((bind) => {
        switch (actor.role) {
          case 'admin':
            return `${alias}.deleted_at IS NULL`;
          case 'manager':
            return `${alias}.deleted_at IS NULL AND ${inTeam(`${alias}.butler_id`, bind(actor.id))}`;
          case 'butler':
            return `${alias}.deleted_at IS NULL AND ${alias}.butler_id = ${bind(actor.id)}`;
        }
      }),
    seesClient: (client) => {
      if (client.deleted) return false;
      switch (actor.role) {
        case 'admin':
          return true;
        case 'manager':
          return client.butlerManagerId === actor.id;
        case 'butler':
          return client.butlerId === actor.id;
      }
    },
    teams: (column) => sqlFragment((bind) => (actor.role === 'admin' ? 'TRUE' : `${column} = ${bind(team)}`)),
    seesTeam: (managerId) => actor.role === 'admin' || (managerId !== null && managerId === team),
    followUps: (f, c) =>
      sqlFragment((bind) => {
        switch (actor.role) {
          case 'admin':
            return 'TRUE';
          case 'manager': {
            const assigned = `(${f}.butler_id = ${bind(actor.id)} OR ${inTeam(`${f}.butler_id`, bind(actor.id))})`;
            return `${assigned} AND ${inTeam(`${c}.butler_id`, bind(team))}`;
          }
          case 'butler':
            return `${f}.butler_id = ${bind(actor.id)} AND ${inTeam(`${c}.butler_id`, bind(team))}`;
        }
      }),
    seesFollowUp: (followUp) => {
      switch (actor.role) {
        case 'admin':
          return true;
        case 'manager':
          return (
            (followUp.assigneeId === actor.id || followUp.assigneeManagerId === actor.id) &&
            followUp.clientTeamId === actor.id
          );
        case 'butler':
          return followUp.assigneeId === actor.id && team !== null && followUp.clientTeamId === team;
      }
    },
  };
}

// The scope of a team as a whole (what a campaign of that team may address), or of everyone.
export function teamScope(managerId: string | null): Scope {
  return scopeOf(
    managerId ? { id: managerId, role: 'manager', managerId: null } : { id: '', role: 'admin', managerId: null },
  );
}
