import { Injectable } from '@nestjs/common';
import {
  type AccountRpc,
  ACCESS_POLICIES,
  type ActorOnMember,
  type AddMemberRequest,
  authorizeTarget,
  DomainError,
  type MemberView,
  type MemberWithAccount,
  type Role,
  type AssignableRole,
  type RpcRequest,
  type RpcResponse,
} from '@twofold/contracts';
import { Clock, currentRequestMeta, SecurityEventPublisher } from '@twofold/platform';
import { Redis } from 'ioredis';
import { type EntityManager } from 'typeorm';
import { attemptSubject } from '../accounts/accounts.service';
import { AccountsRepository } from '../accounts/accounts.repository';
import { LoginProbes } from '../accounts/login-probes';
import { MemberChanges } from '../accounts/member-changes';
import { ApplicationCredentialsRepository } from '../application-credentials/application-credentials.repository';
import { dropCredentialKeys } from '../application-credentials/credential-keys';
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
    private readonly changes: MemberChanges,
    private readonly probes: LoginProbes,
    private readonly credentials: ApplicationCredentialsRepository,
    private readonly redis: Redis,
    private readonly events: SecurityEventPublisher,
    private readonly policy: PolicyService,
    private readonly clock: Clock,
  ) {}

  /** An owner or admin adds a member (an `ops` member is how automation signs in). */
  async add(request: AddMemberRequest): Promise<MemberView> {
    const actor = await this.manager(request.actor);
    const passwordHash = await this.passwords.hash(request.member.password);
    const added = await this.probes.guard(currentRequestMeta()?.ip ?? null, () =>
      this.accounts.transaction(async (tx) => {
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
      }),
    );
    // Failures counted against the login while nobody had it are not the new member's (best effort).
    await this.attempts.clear(attemptSubject(added.user.login)).catch(() => undefined);
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
    await this.changes.change([target.id], async (tx) => {
      await this.accounts.updateRoles(target.id, request.roles, tx);
      await this.emit(
        'member.roles_changed',
        actor,
        updated,
        { from: target.roles.join(','), to: request.roles.join(',') },
        tx,
      );
    });
    // Roles decide who is exempt from the 2FA policy (ops-only): the deadline follows them.
    await this.policy.publishDeadlines([target.id]);
    return updated;
  }

  async remove(request: ActorOnMember): Promise<{ removed: true }> {
    const { actor, target } = await this.target(request);
    await this.changes.change([target.id], async (tx) => {
      await this.accounts.deleteMember(target.id, tx);
      // The member row is gone: the event carries where the e-mail goes.
      await this.emit(
        'member.removed',
        actor,
        target,
        { login: target.login, email: target.email, accountName: actor.account.name },
        tx,
      );
    });
    return { removed: true };
  }

  /** A new password ends the member's grants and lifts a lock of its sign-in. */
  async setPassword(request: ActorOnMember & { password: string }): Promise<{ changed: true }> {
    const { actor, target } = await this.target(request);
    const passwordHash = await this.passwords.hash(request.password);
    // Someone else chose this password: whatever the old one made (credentials too) ends.
    const { result: gone } = await this.changes.change([target.id], async (tx) => {
      await this.accounts.setPasswordHash(target.id, passwordHash, this.clock.now(), tx);
      const credentials = await this.credentials.deleteAllOf(target.id, tx);
      await this.emit('password.changed', actor, target, { byAdmin: true, ...ended(credentials) }, tx);
      return credentials;
    });
    await dropCredentialKeys(this.redis, target.id, gone);
    if (await this.attempts.clear(attemptSubject(target.login))) {
      await this.emit('sign_in.unlocked', actor, target, { byAdmin: true });
    }
    return { changed: true };
  }

  /** Signs a member out everywhere: its stamp moves on, ending every session, token and sign-in in flight. */
  async endSessions(request: ActorOnMember): Promise<{ ended: true }> {
    const { actor, target } = await this.target(request);
    // An admin's "sign out everywhere" says the member may be compromised: credentials end too.
    const { result: gone } = await this.changes.change([target.id], async (tx) => {
      const credentials = await this.credentials.deleteAllOf(target.id, tx);
      await this.emit('sessions.ended', actor, target, { byAdmin: true, ...ended(credentials) }, tx);
      return credentials;
    });
    await dropCredentialKeys(this.redis, target.id, gone);
    return { ended: true };
  }

  /**
   * A member signs out everywhere else, from `grant`: answers the new stamp for the caller's own
   * session to take on (none if another change came in between).
   */
  async endOwnSessions(
    request: RpcRequest<typeof AccountRpc.endOwnSessions>,
  ): Promise<RpcResponse<typeof AccountRpc.endOwnSessions>> {
    const found = await this.accounts.findMember(request.memberId);
    if (!found) throw new DomainError('not_found', 'No such member.');
    // Credentials the password alone made are sessions of a kind: they end with the others.
    const { result: gone, kept } = await this.changes.change(
      [{ id: request.memberId, ...(request.grant ? { keep: request.grant.stamp } : {}) }],
      async (tx) => {
        const credentials = await this.credentials.deleteAllOf(request.memberId, tx, { passwordOnly: true });
        await this.emit(
          'sessions.ended',
          found,
          found.user,
          { everywhereElse: true, ...ended(credentials) },
          tx,
        );
        return credentials;
      },
    );
    await dropCredentialKeys(this.redis, request.memberId, gone);
    const securityStamp = kept[request.memberId];
    return { ended: true, ...(securityStamp ? { securityStamp } : {}) };
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
    await this.changes.change([actor.user.id, target.id], async (tx) => {
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
    });
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
    details: Record<string, string | number | boolean>,
    tx?: EntityManager,
  ) {
    return this.events.emit(
      { type, accountId: actor.account.id, actorId: actor.user.id, subjectId: subject.id, details },
      undefined,
      tx,
    );
  }
}

/** How many credentials a change ended, for its event (nothing when none). */
const ended = (credentials: readonly string[]): { applicationCredentialsEnded?: number } =>
  credentials.length > 0 ? { applicationCredentialsEnded: credentials.length } : {};
