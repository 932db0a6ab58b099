import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export type Role = 'admin' | 'manager' | 'butler';

// Who is calling, as the auth guard loaded them from PostgreSQL for this request.
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  managerId: string | null;
}

export const IS_PUBLIC = 'auth:public';
export const ROLES_KEY = 'auth:roles';

// Every route needs a bearer token unless it opts out here.
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

export type AuthedRequest = FastifyRequest & { user?: AuthUser };

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a public route');
  return user;
});
