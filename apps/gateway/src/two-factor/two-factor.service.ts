import { Injectable } from '@nestjs/common';
import { AccountRpc, DomainError, type Enrollment, OtpRpc, type TwoFactorStatus } from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { type Session } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';
import { allowed } from '../policy/second-factor-policy';
import { StepUp } from '../sessions/step-up';

@Injectable()
export class TwoFactorService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
    private readonly stepUp: StepUp,
  ) {}

  status(session: Session, meta: RequestMeta): Promise<TwoFactorStatus> {
    return this.rpc.call(OtpRpc.status, { memberId: session.memberId }, { meta });
  }

  /** Replacing an authenticator needs a step-up too; the current one keeps working until the new one is confirmed. */
  async startEnrollment(session: Session, password: string, meta: RequestMeta): Promise<Enrollment> {
    const { enabled, factors } = await this.rpc.call(OtpRpc.status, { memberId: session.memberId }, { meta });
    if (enabled) await this.stepUp.require(session, meta);
    await allowed(this.rpc, session, 'totp', meta);
    const { user } = await this.rpc.call(
      AccountRpc.verifyMemberPassword,
      {
        memberId: session.memberId,
        password,
      },
      { meta },
    );
    return this.rpc.call(
      OtpRpc.startEnrollment,
      {
        memberId: user.id,
        accountId: session.accountId,
        login: user.login,
        replace: factors.includes('totp'),
      },
      { meta },
    );
  }

  async confirmEnrollment(token: string, session: Session, code: string, meta: RequestMeta) {
    const { securityStamp, ...confirmed } = await this.rpc.call(
      OtpRpc.confirmEnrollment,
      { memberId: session.memberId, code, grant: { stamp: session.stamp } },
      { meta },
    );
    // 2FA on ends the member's other (password-only) sessions; this one stays, with the factor it proved.
    if (securityStamp)
      await this.sessions.restamp(token, session, securityStamp, { lift: true, proven: { method: 'totp' } });
    return confirmed;
  }

  test(session: Session, code: string, meta: RequestMeta) {
    return this.rpc.call(OtpRpc.test, { memberId: session.memberId, code }, { meta });
  }

  checkRecoveryCode(session: Session, code: string, meta: RequestMeta) {
    return this.rpc.call(OtpRpc.checkRecoveryCode, { memberId: session.memberId, code }, { meta });
  }

  async regenerateRecoveryCodes(session: Session, meta: RequestMeta) {
    await this.stepUp.require(session, meta);
    return this.rpc.call(OtpRpc.regenerateRecoveryCodes, { memberId: session.memberId }, { meta });
  }

  async disable(token: string, session: Session, meta: RequestMeta): Promise<void> {
    const policy = await this.rpc.call(AccountRpc.policyOfMember, { memberId: session.memberId }, { meta });
    if (policy.twoFactorDeadline !== null) {
      throw new DomainError(
        'two_factor_required_by_policy',
        'Your account requires two-factor authentication, so it cannot be turned off. To move to a new phone, replace your authenticator instead (Account Settings → Replace my authenticator); if you lost it, sign in with a recovery code or ask an admin to reset it.',
      );
    }
    await this.stepUp.require(session, meta);
    const { securityStamp } = await this.rpc.call(
      OtpRpc.disable,
      {
        memberId: session.memberId,
        accountId: session.accountId,
        actorId: session.memberId,
        reason: 'self',
        grant: { stamp: session.stamp },
      },
      { meta },
    );
    if (securityStamp) await this.sessions.restamp(token, session, securityStamp);
  }
}
