import { Injectable } from '@nestjs/common';
import { AccountRpc, type MemberView, type NewMember, OtpRpc, type Role } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { type Session } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';

/**
 * Team management through the gateway. account-service decides who may act on whom; every
 * change that alters what a member may do ends that member's sessions at once (they live in
 * Redis, shared by every gateway instance).
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
  ) {}

  add(session: Session, member: NewMember): Promise<MemberView> {
    return this.rpc.call(AccountRpc.addMember, { actor: actorOf(session), member });
  }

  list(session: Session): Promise<{ members: MemberView[] }> {
    return this.rpc.call(AccountRpc.listMembers, { actor: actorOf(session) });
  }

  async updateRoles(
    session: Session,
    memberId: string,
    roles: Exclude<Role, 'owner'>[],
  ): Promise<MemberView> {
    const updated = await this.rpc.call(AccountRpc.updateMemberRoles, {
      actor: actorOf(session),
      memberId,
      roles,
    });
    await this.sessions.revokeAllOfMember(memberId);
    return updated;
  }

  async remove(session: Session, memberId: string): Promise<void> {
    await this.rpc.call(AccountRpc.removeMember, { actor: actorOf(session), memberId });
    await this.sessions.revokeAllOfMember(memberId);
  }

  async setPassword(session: Session, memberId: string, password: string): Promise<void> {
    await this.rpc.call(AccountRpc.setMemberPassword, { actor: actorOf(session), memberId, password });
    await this.sessions.revokeAllOfMember(memberId);
  }

  /** Both members' roles change, so both members' sessions end (the caller signs in again). */
  async transferOwnership(session: Session, memberId: string): Promise<void> {
    const { owner, previousOwner } = await this.rpc.call(AccountRpc.transferOwnership, {
      actor: actorOf(session),
      memberId,
    });
    await this.sessions.revokeAllOfMember(owner.id);
    await this.sessions.revokeAllOfMember(previousOwner.id);
  }

  /** For a member who lost both device and recovery codes. */
  async resetTwoFactor(session: Session, memberId: string): Promise<void> {
    const target = await this.rpc.call(AccountRpc.getManagedMember, { actor: actorOf(session), memberId });
    await this.rpc.call(OtpRpc.disable, {
      memberId: target.id,
      accountId: session.accountId,
      actorId: session.memberId,
      reason: 'admin_reset',
    });
    await this.sessions.revokeAllOfMember(target.id);
  }
}

const actorOf = (session: Session) => ({ memberId: session.memberId, accountId: session.accountId });
