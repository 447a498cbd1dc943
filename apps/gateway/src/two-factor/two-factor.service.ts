import { Injectable } from '@nestjs/common';
import { AccountRpc, type Enrollment, OtpRpc, type TwoFactorStatus } from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { type Session } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';
import { StepUp } from '../sessions/step-up';

/** Account Settings → two-factor authentication, for the signed-in member. */
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

  /** Re-authenticates with the password, then starts (or restarts) the enrolment. */
  async startEnrollment(session: Session, password: string, meta: RequestMeta): Promise<Enrollment> {
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
      },
      { meta },
    );
  }

  /** Turns 2FA on; this session stays (a session restricted for want of 2FA becomes a normal one). */
  async confirmEnrollment(
    token: string,
    session: Session,
    code: string,
    meta: RequestMeta,
  ): Promise<{ enabled: true; recoveryCodesRemaining: number }> {
    const { securityStamp, ...confirmed } = await this.rpc.call(
      OtpRpc.confirmEnrollment,
      {
        memberId: session.memberId,
        code,
      },
      { meta },
    );
    // 2FA on ends the member's other (password-only) sessions; this one stays, unrestricted.
    await this.sessions.restamp(token, session, securityStamp, { lift: true });
    return confirmed;
  }

  test(session: Session, code: string, meta: RequestMeta): Promise<{ valid: boolean }> {
    return this.rpc.call(OtpRpc.test, { memberId: session.memberId, code }, { meta });
  }

  async regenerateRecoveryCodes(session: Session, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
    await this.stepUp.require(session, meta);
    return this.rpc.call(OtpRpc.regenerateRecoveryCodes, { memberId: session.memberId }, { meta });
  }

  /** Turns 2FA off and ends the member's other sessions; this one stays signed in. */
  async disable(token: string, session: Session, meta: RequestMeta): Promise<void> {
    await this.stepUp.require(session, meta);
    const { securityStamp } = await this.rpc.call(
      OtpRpc.disable,
      {
        memberId: session.memberId,
        accountId: session.accountId,
        actorId: session.memberId,
        reason: 'self',
      },
      { meta },
    );
    await this.sessions.restamp(token, session, securityStamp);
  }
}
