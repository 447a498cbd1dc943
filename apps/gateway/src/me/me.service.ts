import { Injectable } from '@nestjs/common';
import { AccountRpc, DomainError, type MeView, OtpRpc } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { type Session } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';

@Injectable()
export class MeService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
  ) {}

  async changePassword(
    token: string,
    session: Session,
    body: { currentPassword: string; newPassword: string },
  ): Promise<void> {
    // The member's other sessions end with the old stamp; this one takes the new one.
    const { securityStamp } = await this.rpc.call(AccountRpc.changePassword, {
      memberId: session.memberId,
      ...body,
    });
    await this.sessions.restamp(token, session, securityStamp);
  }

  async describe(token: string, session: Session): Promise<MeView> {
    // The two services are asked at the same time: one round trip of latency, not two.
    const [member, twoFactor] = await Promise.all([
      this.rpc.call(AccountRpc.getMember, { memberId: session.memberId }).catch(async (error: unknown) => {
        if (error instanceof DomainError && error.code === 'not_found') {
          await this.sessions.revoke(token);
          throw new DomainError('unauthenticated', 'This session belongs to a member that no longer exists.');
        }
        throw error;
      }),
      this.rpc.call(OtpRpc.status, { memberId: session.memberId }),
    ]);
    return {
      user: member.user,
      account: member.account,
      session: { aal: session.aal, expiresAt: session.expiresAt, restricted: session.restricted === true },
      twoFactor: { enabled: twoFactor.enabled, recoveryCodesRemaining: twoFactor.recoveryCodesRemaining },
    };
  }
}
