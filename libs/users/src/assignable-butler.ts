import type { EntityManager } from 'typeorm';

import { scopeOf } from '@app/access';
import { AppError, AuthUser } from '@app/common';

import { UserEntity } from './entities/user.entity';

// Who may be given work (a client, a follow-up, a case): an active butler; for a manager, one of
// their own team (the access policy). Anything else is a 400 naming butlerId.
export async function assertAssignableButler(
  em: EntityManager,
  actor: AuthUser,
  butlerId: string,
): Promise<UserEntity> {
  const butler = await em.getRepository(UserEntity).findOne({ where: { id: butlerId, role: 'butler', active: true } });
  if (!butler || !scopeOf(actor).seesUser(butler)) {
    throw AppError.invalid({
      field: 'butlerId',
      code: 'isActiveButler',
      params: { team: actor.role === 'manager' },
      message:
        actor.role === 'manager'
          ? 'butlerId must be an active butler of your team'
          : 'butlerId must be an active butler',
    });
  }
  return butler;
}
