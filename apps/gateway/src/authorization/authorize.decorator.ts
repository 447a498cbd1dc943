import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_POLICIES, type AccessPolicyName } from '@twofold/contracts';
import { type FastifyRequest } from 'fastify';
import { type Authenticated, SessionGuard } from '../sessions/session.guard';
import { authorize } from './policies';

/** Where @Authorize keeps the route's policy name (read by the guard, and by the route-table test). */
export const POLICY = Symbol('policy');

/** Runs after SessionGuard: the route's policy against the session's roles and kind. */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const name =
      this.reflector.get<AccessPolicyName>(POLICY, context.getHandler()) ??
      this.reflector.get<AccessPolicyName>(POLICY, context.getClass());
    const auth = context.switchToHttp().getRequest<FastifyRequest & { auth?: Authenticated }>().auth;
    if (!auth) throw new Error('AuthorizationGuard ran without a session');
    authorize(ACCESS_POLICIES[name], auth.session);
    return true;
  }
}

/** The route needs a live session that the named policy allows. */
export const Authorize = (policy: AccessPolicyName): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(POLICY, policy), UseGuards(SessionGuard, AuthorizationGuard));
