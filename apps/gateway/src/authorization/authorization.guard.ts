import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  AccountRpc,
  ACCESS_POLICIES,
  type AccessPolicy,
  type AccessPolicyName,
  authorizeTarget,
  type HttpRoute,
} from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Authenticated } from '../sessions/session.guard';
import { StepUp } from '../sessions/step-up';
import { authorize } from './policies';
import { ROUTE } from '../http/route-metadata';

const memberIdSchema = z.uuid();

/** All before the body is read; account-service checks the target rule again where the change is made. */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly rpc: RpcClient,
    private readonly stepUp: StepUp,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.reflector.get<HttpRoute>(ROUTE, context.getHandler()).access as AccessPolicyName;
    const req = context.switchToHttp().getRequest<FastifyRequest & { auth?: Authenticated }>();
    const auth = req.auth;
    if (!auth) throw new Error('AuthorizationGuard ran without a session');
    const policy: AccessPolicy = ACCESS_POLICIES[name];
    authorize(policy, auth.session);
    const id = (req.params as Record<string, unknown> | undefined)?.id;
    // A malformed id is left to the route's own parameter check (400 naming it).
    if (policy.target && memberIdSchema.safeParse(id).success) {
      const actor = { memberId: auth.session.memberId, roles: auth.session.roles };
      if (id === actor.memberId) authorizeTarget(policy.target, actor, { id, roles: auth.session.roles });
      await this.rpc.call(
        AccountRpc.getManagedMember,
        {
          actor: { memberId: auth.session.memberId, accountId: auth.session.accountId },
          memberId: id as string,
        },
        { meta: auth.meta },
      );
    }
    if (policy.stepUp) await this.stepUp.require(auth.session, auth.meta);
    return true;
  }
}
