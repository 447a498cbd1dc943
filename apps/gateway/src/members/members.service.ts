import { Injectable } from '@nestjs/common';
import {
  AccountRpc,
  DomainError,
  type MemberView,
  type NewMember,
  OtpRpc,
  type AssignableRole,
  type TeamMember,
} from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { type Session } from '../sessions/session';

/** account-service decides who may act on whom, and replaces the stamp of a member whose rights change. */
@Injectable()
export class MembersService {
  constructor(private readonly rpc: RpcClient) {}

  add(session: Session, member: NewMember, meta: RequestMeta): Promise<TeamMember> {
    return this.rpc.call(AccountRpc.addMember, { actor: actorOf(session), member }, { meta });
  }

  list(session: Session, meta: RequestMeta) {
    return this.rpc.call(AccountRpc.listMembers, { actor: actorOf(session) }, { meta });
  }

  resendInvitation(session: Session, memberId: string, meta: RequestMeta): Promise<TeamMember> {
    return this.rpc.call(AccountRpc.resendInvitation, { actor: actorOf(session), memberId }, { meta });
  }

  async withdrawInvitation(session: Session, memberId: string, meta: RequestMeta): Promise<void> {
    await this.rpc.call(AccountRpc.withdrawInvitation, { actor: actorOf(session), memberId }, { meta });
  }

  async sendPasswordResetLink(session: Session, memberId: string, meta: RequestMeta): Promise<void> {
    await this.rpc.call(AccountRpc.sendPasswordResetLink, { actor: actorOf(session), memberId }, { meta });
  }

  updateRoles(
    session: Session,
    memberId: string,
    roles: AssignableRole[],
    meta: RequestMeta,
  ): Promise<MemberView> {
    return this.rpc.call(
      AccountRpc.updateMemberRoles,
      { actor: actorOf(session), memberId, roles },
      { meta },
    );
  }

  async remove(session: Session, memberId: string, meta: RequestMeta): Promise<void> {
    await this.rpc.call(AccountRpc.removeMember, { actor: actorOf(session), memberId }, { meta });
  }

  async setPassword(session: Session, memberId: string, password: string, meta: RequestMeta): Promise<void> {
    await this.rpc.call(
      AccountRpc.setMemberPassword,
      { actor: actorOf(session), memberId, password },
      { meta },
    );
  }

  async transferOwnership(session: Session, memberId: string, meta: RequestMeta): Promise<void> {
    await this.rpc.call(AccountRpc.transferOwnership, { actor: actorOf(session), memberId }, { meta });
  }

  async endSessions(session: Session, memberId: string, meta: RequestMeta): Promise<void> {
    await this.rpc.call(AccountRpc.endMemberSessions, { actor: actorOf(session), memberId }, { meta });
  }

  async sendResyncLink(session: Session, memberId: string, meta: RequestMeta) {
    const target = await this.rpc.call(
      AccountRpc.getManagedMember,
      { actor: actorOf(session), memberId },
      { meta },
    );
    if (!(await this.rpc.call(OtpRpc.status, { memberId: target.id }, { meta })).enabled) {
      throw new DomainError(
        'two_factor_not_enabled',
        'This member has no authenticator to realign: two-factor authentication is off.',
      );
    }
    return this.rpc.call(
      AccountRpc.requestResync,
      { actor: actorOf(session), memberId: target.id },
      { meta },
    );
  }

  async resetTwoFactor(session: Session, memberId: string, meta: RequestMeta): Promise<void> {
    const target = await this.rpc.call(
      AccountRpc.getManagedMember,
      { actor: actorOf(session), memberId },
      { meta },
    );
    await this.rpc.call(
      OtpRpc.disable,
      {
        memberId: target.id,
        accountId: session.accountId,
        actorId: session.memberId,
        reason: 'admin_reset',
      },
      { meta },
    );
    // Under the policy the member is back on enrolment at once (no new grace period).
    await this.rpc.call(AccountRpc.noteTwoFactorReset, { memberId: target.id }, { meta });
  }
}

const actorOf = (session: Session) => ({ memberId: session.memberId, accountId: session.accountId });
