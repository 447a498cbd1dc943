import { Injectable } from '@nestjs/common';
import {
  ACCESS_POLICIES,
  type ActorOnMember,
  type AddMemberRequest,
  authorizeTarget,
  DomainError,
  type MemberView,
  type MemberWithAccount,
  type Role,
  type AssignableRole,
} from '@twofold/contracts';
import { Clock, SecurityEventPublisher, SecurityStamps } from '@twofold/platform';
import { type EntityManager } from 'typeorm';
import { attemptSubject } from '../accounts/accounts.service';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { PolicyService } from '../policy/policy.service';

type Actor = AddMemberRequest['actor'];

/**
 * Team management by an account's owner or admins. A member never acts on another account, on
 * itself, or on the owner (ACCESS_POLICIES.manageMember); every change that alters what a member
 * may do replaces the member's security stamp, ending its sessions and sign-ins in flight.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly passwords: PasswordHasher,
    private readonly attempts: PasswordAttempts,
    private readonly stamps: SecurityStamps,
    private readonly events: SecurityEventPublisher,
    private readonly policy: PolicyService,
    private readonly clock: Clock,
  ) {}

  /** An owner or admin adds a member (an `ops` member is how automation signs in). */
  async add(request: AddMemberRequest): Promise<MemberView> {
    const actor = await this.manager(request.actor);
    const passwordHash = await this.passwords.hash(request.member.password);
    const added = await this.accounts.transaction(async (tx) => {
      const member = await this.accounts.addMember(
        {
          accountId: actor.account.id,
          login: request.member.login,
          email: request.member.email,
          passwordHash,
          roles: request.member.roles,
        },
        tx,
      );
      await this.emit(
        'member.added',
        actor,
        member.user,
        { login: member.user.login, roles: member.user.roles.join(',') },
        tx,
      );
      return member;
    });
    await this.policy.memberJoined(added.user.id);
    return added.user;
  }

  async list(actor: Actor): Promise<{ members: MemberView[] }> {
    const manager = await this.manager(actor);
    return { members: (await this.accounts.listMembers(manager.account.id)).map((m) => m.user) };
  }

  async get(request: ActorOnMember): Promise<MemberView> {
    return (await this.target(request)).target;
  }

  async updateRoles(request: ActorOnMember & { roles: AssignableRole[] }): Promise<MemberView> {
    const { actor, target } = await this.target(request);
    const updated = { ...target, roles: request.roles };
    await this.stamps.around([target.id], () =>
      this.accounts.transaction(async (tx) => {
        await this.accounts.updateRoles(target.id, request.roles, tx);
        await this.emit(
          'member.roles_changed',
          actor,
          updated,
          { from: target.roles.join(','), to: request.roles.join(',') },
          tx,
        );
      }),
    );
    return updated;
  }

  async remove(request: ActorOnMember): Promise<{ removed: true }> {
    const { actor, target } = await this.target(request);
    await this.stamps.around([target.id], () =>
      this.accounts.transaction(async (tx) => {
        await this.accounts.deleteMember(target.id, tx);
        // The member row is gone: the event carries where the e-mail goes.
        await this.emit(
          'member.removed',
          actor,
          target,
          { login: target.login, email: target.email, accountName: actor.account.name },
          tx,
        );
      }),
    );
    return { removed: true };
  }

  /** A new password ends the member's grants and lifts a lock of its sign-in. */
  async setPassword(request: ActorOnMember & { password: string }): Promise<{ changed: true }> {
    const { actor, target } = await this.target(request);
    const passwordHash = await this.passwords.hash(request.password);
    await this.stamps.around([target.id], () =>
      this.accounts.transaction(async (tx) => {
        await this.accounts.setPasswordHash(target.id, passwordHash, this.clock.now(), tx);
        await this.emit('password.changed', actor, target, { byAdmin: true }, tx);
      }),
    );
    if (await this.attempts.clear(attemptSubject(target.login))) {
      await this.emit('sign_in.unlocked', actor, target, { byAdmin: true });
    }
    return { changed: true };
  }

  /** Signs a member out everywhere: its stamp moves on, ending every session, token and sign-in in flight. */
  async endSessions(request: ActorOnMember): Promise<{ ended: true }> {
    const { actor, target } = await this.target(request);
    await this.stamps.around([target.id], () => Promise.resolve());
    await this.emit('sessions.ended', actor, target, { byAdmin: true });
    return { ended: true };
  }

  /** A member signs out everywhere else: answers the new stamp, for the caller's own session to take on. */
  async endOwnSessions(memberId: string): Promise<{ ended: true; securityStamp: string }> {
    const found = await this.accounts.findMember(memberId);
    if (!found) throw new DomainError('not_found', 'No such member.');
    const { stamps } = await this.stamps.around([memberId], () => Promise.resolve());
    await this.emit('sessions.ended', found, found.user, { everywhereElse: true });
    return { ended: true, securityStamp: stamps[memberId] };
  }

  /** E-mails a member a single-use link to realign its authenticator (its e-mail carries the link). */
  async requestResync(request: ActorOnMember): Promise<{ sent: true }> {
    const { actor, target } = await this.target(request);
    await this.emit('two_factor.resync_requested', actor, target, {});
    return { sent: true };
  }

  /** Only the owner hands ownership on, to a member of the same account. */
  async transferOwnership(request: ActorOnMember): Promise<{ owner: MemberView; previousOwner: MemberView }> {
    const actor = await this.manager(request.actor);
    const target = await this.member(actor, request.memberId);
    if (!actor.user.roles.includes('owner'))
      throw new DomainError('forbidden', 'Only the owner can hand ownership on.');
    if (target.id === actor.user.id) throw new DomainError('forbidden', 'You are the owner already.');
    const owner = { ...target, roles: ['owner'] as Role[] };
    const previousOwner = { ...actor.user, roles: ['admin'] as Role[] };
    await this.stamps.around([actor.user.id, target.id], () =>
      this.accounts.transaction(async (tx) => {
        await this.accounts.transferOwnership(actor.user.id, target.id, tx);
        await this.emit(
          'member.roles_changed',
          actor,
          owner,
          { from: target.roles.join(','), to: 'owner' },
          tx,
        );
        await this.emit(
          'member.roles_changed',
          actor,
          previousOwner,
          { from: actor.user.roles.join(','), to: 'admin' },
          tx,
        );
      }),
    );
    return { owner, previousOwner };
  }

  private async manager(actor: Actor): Promise<MemberWithAccount> {
    const found = await this.accounts.findManager(actor);
    if (!found) throw new DomainError('forbidden', 'Only an owner or an admin can manage members.');
    return found;
  }

  /**
   * The member a team route acts on, checked against the route's target rule: within the actor's
   * own account (another account's member is "not found"), never the actor, never the owner.
   */
  private async target(request: ActorOnMember): Promise<{ actor: MemberWithAccount; target: MemberView }> {
    const actor = await this.manager(request.actor);
    const target = await this.member(actor, request.memberId);
    authorizeTarget(
      ACCESS_POLICIES.manageMember.target,
      { memberId: actor.user.id, roles: actor.user.roles },
      target,
    );
    return { actor, target };
  }

  private async member(actor: MemberWithAccount, memberId: string): Promise<MemberView> {
    const found = await this.accounts.findMember(memberId);
    if (!found || found.account.id !== actor.account.id)
      throw new DomainError('not_found', 'No such member in this account.');
    return found.user;
  }

  private emit(
    type:
      | 'member.added'
      | 'member.removed'
      | 'member.roles_changed'
      | 'password.changed'
      | 'sign_in.unlocked'
      | 'sessions.ended'
      | 'two_factor.resync_requested',
    actor: MemberWithAccount,
    subject: MemberView,
    details: Record<string, string | boolean>,
    tx?: EntityManager,
  ) {
    return this.events.emit(
      { type, accountId: actor.account.id, actorId: actor.user.id, subjectId: subject.id, details },
      undefined,
      tx,
    );
  }
}
