import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, type HttpRoute, type KeystoneRule } from '@twofold/contracts';
import { type FastifyRequest } from 'fastify';
import { ROUTE } from '../http/route-metadata';
import { NOT_AUTHORIZED, notAuthorized, REQUIRES_AUTHENTICATION } from './keystone-errors';
import { uuidOf } from './keystone-presenter';
import { type KeystoneCaller, KeystoneService } from './keystone.service';

type RequestWithCaller = FastifyRequest & { keystoneCaller?: KeystoneCaller };

/** X-Auth-Token, then the route's KeystoneRule, each refused as Keystone 22 refuses it; before the body is read. */
@Injectable()
export class KeystoneCallerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keystone: KeystoneService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<RequestWithCaller>();
    const token = req.headers['x-auth-token'];
    const caller = typeof token === 'string' && token ? await this.keystone.describe(token) : undefined;
    if (!caller) throw new DomainError('unauthenticated', REQUIRES_AUTHENTICATION);
    const entry = this.reflector.get<HttpRoute>(ROUTE, context.getHandler());
    checkKeystoneRule(entry.keystone ?? {}, caller, (req.params ?? {}) as Record<string, string>);
    req.keystoneCaller = caller;
    return true;
  }
}

export function checkKeystoneRule(
  rule: KeystoneRule,
  caller: KeystoneCaller,
  params: Record<string, string>,
): void {
  if (rule.scoped && caller.session.unscoped) throw new DomainError('forbidden', NOT_AUTHORIZED);
  if (rule.self) {
    const mine = rule.self === 'userId' ? caller.session.memberId : caller.member.account.id;
    if (uuidOf(params[rule.self] ?? '') !== mine) throw notAuthorized(rule.rule ?? '');
  }
  if (rule.credentialTokens === 'refused' && caller.session.applicationCredential) {
    throw notAuthorized(
      "Using method 'application_credential' is not allowed for managing additional application credentials.",
    );
  }
}

export const keystoneCallerOf = (req: FastifyRequest): KeystoneCaller | undefined =>
  (req as RequestWithCaller).keystoneCaller;
