import { Injectable } from '@nestjs/common';
import {
  AccountRpc,
  type ChangeEmailBody,
  DomainError,
  type EmailChangeRequested,
  type Language,
  type MemberLanguage,
  type MeView,
  OtpRpc,
  type RouteBody,
  ROUTES,
} from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { PinoLogger } from 'nestjs-pino';
import { amrOf, type Session } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';
import { StepUp } from '../sessions/step-up';

@Injectable()
export class MeService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
    private readonly stepUp: StepUp,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MeService.name);
  }

  async changePassword(
    token: string,
    session: Session,
    body: RouteBody<typeof ROUTES.me.changePassword>,
    meta: RequestMeta,
  ): Promise<void> {
    await this.stepUp.require(session, meta);
    // The member's other sessions end with the old stamp; this one takes the new one.
    const { securityStamp } = await this.rpc.call(
      AccountRpc.changePassword,
      { memberId: session.memberId, ...body, grant: { stamp: session.stamp } },
      { meta },
    );
    if (securityStamp) await this.sessions.restamp(token, session, securityStamp);
  }

  async changeEmail(
    session: Session,
    body: ChangeEmailBody,
    meta: RequestMeta,
  ): Promise<EmailChangeRequested> {
    await this.stepUp.require(session, meta);
    return this.rpc.call(
      AccountRpc.requestEmailChange,
      {
        memberId: session.memberId,
        password: body.password,
        email: body.email,
        grant: { stamp: session.stamp },
      },
      { meta },
    );
  }

  changeLanguage(session: Session, language: Language, meta: RequestMeta): Promise<MemberLanguage> {
    return this.rpc.call(AccountRpc.setLanguage, { memberId: session.memberId, language }, { meta });
  }

  /** The stamp moves on, ending every other session, Keystone token and pending sign-in, listed or not. */
  async endOtherSessions(token: string, session: Session, meta: RequestMeta): Promise<void> {
    const { securityStamp } = await this.rpc.call(
      AccountRpc.endOwnSessions,
      { memberId: session.memberId, grant: { stamp: session.stamp } },
      { meta },
    );
    if (securityStamp) await this.sessions.restamp(token, session, securityStamp);
    await this.sessions.revokeAllExcept(session.memberId, session.id);
  }

  /** The session is gone either way: an audit that cannot be recorded now is logged, not answered 503. */
  async endSession(session: Session, sessionId: string, meta: RequestMeta): Promise<void> {
    const device = await this.sessions.revokeById(session.memberId, sessionId);
    if (device === undefined) {
      throw new DomainError('not_found', 'You have no such session (it may have ended already).');
    }
    await this.rpc
      .call(
        AccountRpc.recordSessionEnded,
        { memberId: session.memberId, sessionId, device: device.slice(0, 200) },
        { meta },
      )
      .catch((error: unknown) =>
        this.logger.warn({ err: error, reqId: meta.requestId }, 'Could not audit the end of a session'),
      );
  }

  async describe(session: Session, meta: RequestMeta): Promise<MeView> {
    // The address and language are read now: they change without ending sessions.
    const [twoFactor, email, { language }] = await Promise.all([
      this.rpc.call(OtpRpc.status, { memberId: session.memberId }, { meta }),
      this.rpc.call(AccountRpc.emailOf, { memberId: session.memberId }, { meta }),
      this.rpc.call(AccountRpc.languageOf, { memberId: session.memberId }, { meta }),
    ]);
    const policy = await this.rpc.call(AccountRpc.policyOfMember, { memberId: session.memberId }, { meta });
    const deadline = twoFactor.enabled ? null : policy.twoFactorDeadline;
    return {
      user: { ...session.member.user, email: email.address, language },
      account: session.member.account,
      email,
      session: {
        aal: session.aal,
        amr: session.amr ?? amrOf(session.methods),
        expiresAt: session.expiresAt,
        restricted: session.restricted === true,
      },
      twoFactor: {
        enabled: twoFactor.enabled,
        // What disabling checks: the policy gives this member a deadline.
        required: policy.twoFactorDeadline !== null,
        factors: twoFactor.factors,
        recoveryCodesRemaining: twoFactor.recoveryCodesRemaining,
        deadline,
        passkeyDeadline: twoFactor.factors.includes('webauthn') ? null : policy.passkeyDeadline,
      },
    };
  }
}
