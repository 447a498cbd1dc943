import { Injectable } from '@nestjs/common';
import { AccountRpc, PasskeyRpc, type RouteBody, type RouteResult, type ROUTES } from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { allowed } from '../policy/second-factor-policy';
import { type Session } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';

type R = typeof ROUTES.passkeys;

@Injectable()
export class PasskeysService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
  ) {}

  async registrationOptions(
    session: Session,
    meta: RequestMeta,
  ): Promise<RouteResult<R['registrationOptions']>> {
    await allowed(this.rpc, session, 'webauthn', meta);
    return this.rpc.call(PasskeyRpc.registrationOptions, memberOf(session), { meta });
  }

  /** A passkey that turned 2FA on proved a second factor on this session, which alone stays. */
  async register(
    token: string,
    session: Session,
    body: RouteBody<R['register']>,
    meta: RequestMeta,
  ): Promise<RouteResult<R['register']>> {
    await allowed(this.rpc, session, 'webauthn', meta);
    const { securityStamp, ...added } = await this.rpc.call(
      PasskeyRpc.register,
      { ...memberOf(session), ...body, grant: { stamp: session.stamp } },
      { meta },
    );
    // A restricted session (the policy asked for a passkey) is lifted even without a new stamp.
    if (securityStamp || session.restricted) {
      await this.sessions.restamp(token, session, securityStamp ?? session.stamp, {
        lift: true,
        proven: { method: 'webauthn', passkey: added.passkey.backedUp ? 'swk' : 'hwk' },
      });
    }
    return added;
  }

  async list(session: Session, meta: RequestMeta): Promise<RouteResult<R['list']>> {
    return this.rpc.call(PasskeyRpc.list, { memberId: session.memberId }, { meta });
  }

  rename(session: Session, id: string, name: string, meta: RequestMeta): Promise<RouteResult<R['rename']>> {
    return this.rpc.call(PasskeyRpc.rename, { memberId: session.memberId, id, name }, { meta });
  }

  async remove(token: string, session: Session, id: string, meta: RequestMeta): Promise<void> {
    const policy = await this.rpc.call(AccountRpc.policyOfMember, { memberId: session.memberId }, { meta });
    const { securityStamp } = await this.rpc.call(
      PasskeyRpc.remove,
      {
        memberId: session.memberId,
        id,
        keepTwoFactor: policy.twoFactorDeadline !== null,
        grant: { stamp: session.stamp },
      },
      { meta },
    );
    if (securityStamp) await this.sessions.restamp(token, session, securityStamp);
  }
}

const memberOf = (session: Session) => ({
  memberId: session.memberId,
  accountId: session.accountId,
  login: session.member.user.login,
});
