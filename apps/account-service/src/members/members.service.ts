import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type AccountRpc,
  ACCESS_POLICIES,
  type ActorOnMember,
  type AddMemberRequest,
  authorizeTarget,
  DEFAULT_LANGUAGE,
  DomainError,
  type MemberView,
  type MemberWithAccount,
  type Role,
  type AssignableRole,
  isOpsOnly,
  OtpRpc,
  type TeamMember,
  type RpcRequest,
  type RpcResponse,
  type SecurityEventDetails,
  type SecurityEventType,
} from '@twofold/contracts';
import { Clock, type RequestMeta, RpcClient, SecurityEventPublisher } from '@twofold/platform';
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
import { ACCOUNT_CONFIG, type AccountConfig } from '../config/account-config';
import { PolicyService } from '../policy/policy.service';

type Actor = AddMemberRequest['actor'];

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
    @Inject(ACCOUNT_CONFIG) private readonly config: Pick<AccountConfig, 'INVITATION_TTL_SECONDS'>,
    private readonly rpc: RpcClient,
  ) {}

  private readonly logger = new Logger(MembersService.name);

  async add(request: AddMemberRequest, meta: RequestMeta | null): Promise<TeamMember> {
    const actor = await this.manager(request.actor);
    const { password, ...member } = request.member;
    const passwordHash = password === undefined ? null : await this.passwords.hash(password);
    const language = (await this.accounts.languageOf(actor.user.id)) ?? DEFAULT_LANGUAGE;
    const added = await this.probes.guard(meta?.ip ?? null, () =>
      this.accounts.transaction(async (tx) => {
        const made = await this.accounts.addMember(
          {
            accountId: actor.account.id,
            ...member,
            passwordHash,
            language,
            ...(passwordHash === null ? { invitedUntil: this.invitationEnd() } : {}),
          },
          tx,
        );
        await this.emit(
          passwordHash === null ? 'member.invited' : 'member.added',
          actor,
          made.user,
          { login: made.user.login, roles: made.user.roles.join(',') },
          meta,
          tx,
        );
        return (await this.accounts.teamMember(made.user.id, tx))!;
      }),
    );
    // Failures counted against the login while nobody had it are not the new member's (best effort).
    await this.attempts.clear(attemptSubject(added.login)).catch(() => undefined);
    await this.policy.memberJoined(added.id);
    return added;
  }

  async list(actor: Actor): Promise<{ members: TeamMember[] }> {
    const manager = await this.manager(actor);
    return { members: await this.accounts.listTeam(manager.account.id) };
  }

  async resendInvitation(request: ActorOnMember, meta: RequestMeta | null): Promise<TeamMember> {
    const { actor, target } = await this.target(request);
    return this.accounts.transaction(async (tx) => {
      if (!(await this.accounts.extendInvitation(target.id, this.invitationEnd(), tx))) throw notInvited();
      await tx.query(
        `UPDATE link_tokens SET used_at = now() WHERE member_id = $1 AND purpose = 'invitation' AND used_at IS NULL`,
        [target.id],
      );
      await this.emit('member.invited', actor, target, { resent: true }, meta, tx);
      return (await this.accounts.teamMember(target.id, tx))!;
    });
  }

  async withdrawInvitation(request: ActorOnMember, meta: RequestMeta | null): Promise<{ withdrawn: true }> {
    const { actor, target } = await this.target(request);
    await this.changes.change([target.id], async (tx) => {
      if (!(await this.accounts.teamMember(target.id, tx))?.invitation) throw notInvited();
      await this.accounts.deleteMember(target.id, tx);
      await this.emit(
        'member.invitation_withdrawn',
        actor,
        target,
        { login: target.login, email: target.email },
        meta,
        tx,
      );
    });
    return { withdrawn: true };
  }

  async sendPasswordResetLink(request: ActorOnMember, meta: RequestMeta | null): Promise<{ sent: true }> {
    const { actor, target } = await this.target(request);
    const email = await this.accounts.emailOf(target.id);
    if ((await this.accounts.teamMember(target.id))?.invitation) {
      throw new DomainError(
        'email_not_verified',
        'This member has not accepted its invitation yet: send the invitation again.',
      );
    }
    if (!email?.verified) {
      throw new DomainError(
        'email_not_verified',
        'This member has not confirmed its e-mail address, so no link to choose a password can be sent to it.',
      );
    }
    await this.events.emit(
      {
        type: 'password_reset.requested',
        accountId: actor.account.id,
        actorId: actor.user.id,
        subjectId: target.id,
        details: { byAdmin: true },
      },
      meta,
    );
    return { sent: true };
  }

  private invitationEnd(): Date {
    return new Date(this.clock.now().getTime() + this.config.INVITATION_TTL_SECONDS * 1000);
  }

  async get(request: ActorOnMember): Promise<MemberView> {
    return (await this.target(request)).target;
  }

  async updateRoles(
    request: ActorOnMember & { roles: AssignableRole[] },
    meta: RequestMeta | null,
  ): Promise<MemberView> {
    const { actor, target } = await this.target(request);
    const updated = { ...target, roles: request.roles };
    await this.changes.change([target.id], async (tx) => {
      await this.accounts.updateRoles(target.id, request.roles, tx);
      await this.emit(
        'member.roles_changed',
        actor,
        updated,
        { from: target.roles.join(','), to: request.roles.join(',') },
        meta,
        tx,
      );
    });
    // Roles decide who is exempt from the 2FA policy (ops-only): the deadline follows them.
    await this.policy.publishDeadlines([target.id]);
    return updated;
  }

  async remove(request: ActorOnMember, meta: RequestMeta | null): Promise<{ removed: true }> {
    const { actor, target } = await this.target(request);
    const language = await this.accounts.languageOf(target.id);
    await this.changes.change([target.id], async (tx) => {
      await this.accounts.deleteMember(target.id, tx);
      await this.emit(
        'member.removed',
        actor,
        target,
        { login: target.login, email: target.email, accountName: actor.account.name, language },
        meta,
        tx,
      );
    });
    // Its grants ended with the stamp; this frees its authenticators (a failure leaves only dead rows).
    await this.rpc.call(OtpRpc.forgetMember, { memberId: target.id }, { meta }).catch((error: unknown) => {
      this.logger.warn(
        { err: error, memberId: target.id },
        'Could not forget the second factors of a removed member',
      );
    });
    return { removed: true };
  }

  async setPassword(
    request: ActorOnMember & { password: string },
    meta: RequestMeta | null,
  ): Promise<{ changed: true }> {
    const { actor, target } = await this.target(request);
    if (!isOpsOnly(target.roles)) {
      throw new DomainError(
        'forbidden',
        'Only the member chooses its password: send it a link to choose a new one (POST …/password-reset-link). A password is set only for an ops-only member.',
      );
    }
    const passwordHash = await this.passwords.hash(request.password);
    // Someone else chose this password: whatever the old one made (credentials too) ends.
    const { result: gone } = await this.changes.change([target.id], async (tx) => {
      await this.accounts.setPasswordHash(target.id, passwordHash, this.clock.now(), tx);
      const credentials = await this.credentials.deleteAllOf(target.id, tx);
      await this.emit('password.changed', actor, target, { byAdmin: true, ...ended(credentials) }, meta, tx);
      return credentials;
    });
    await dropCredentialKeys(this.redis, target.id, gone);
    if (await this.attempts.clear(attemptSubject(target.login))) {
      await this.emit('sign_in.unlocked', actor, target, { byAdmin: true }, meta);
    }
    return { changed: true };
  }

  async endSessions(request: ActorOnMember, meta: RequestMeta | null): Promise<{ ended: true }> {
    const { actor, target } = await this.target(request);
    // An admin's "sign out everywhere" says the member may be compromised: credentials end too.
    const { result: gone } = await this.changes.change([target.id], async (tx) => {
      const credentials = await this.credentials.deleteAllOf(target.id, tx);
      await this.emit('sessions.ended', actor, target, { byAdmin: true, ...ended(credentials) }, meta, tx);
      return credentials;
    });
    await dropCredentialKeys(this.redis, target.id, gone);
    return { ended: true };
  }

  async endOwnSessions(
    request: RpcRequest<typeof AccountRpc.endOwnSessions>,
    meta: RequestMeta | null,
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
          meta,
          tx,
        );
        return credentials;
      },
    );
    await dropCredentialKeys(this.redis, request.memberId, gone);
    const securityStamp = kept[request.memberId];
    return { ended: true, ...(securityStamp ? { securityStamp } : {}) };
  }

  async requestResync(request: ActorOnMember, meta: RequestMeta | null): Promise<{ sent: true }> {
    const { actor, target } = await this.target(request);
    await this.emit('two_factor.resync_requested', actor, target, {}, meta);
    return { sent: true };
  }

  async transferOwnership(
    request: ActorOnMember,
    meta: RequestMeta | null,
  ): Promise<{ owner: MemberView; previousOwner: MemberView }> {
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
        meta,
        tx,
      );
      await this.emit(
        'member.roles_changed',
        actor,
        previousOwner,
        { from: actor.user.roles.join(','), to: 'admin' },
        meta,
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

  private emit<T extends SecurityEventType>(
    type: T,
    actor: MemberWithAccount,
    subject: MemberView,
    details: SecurityEventDetails<T>,
    meta: RequestMeta | null,
    tx?: EntityManager,
  ) {
    return this.events.emit(
      { type, accountId: actor.account.id, actorId: actor.user.id, subjectId: subject.id, details },
      meta,
      tx,
    );
  }
}

const ended = (credentials: readonly string[]): { applicationCredentialsEnded?: number } =>
  credentials.length > 0 ? { applicationCredentialsEnded: credentials.length } : {};

const notInvited = (): DomainError =>
  new DomainError(
    'validation_failed',
    'This member has no invitation waiting: it chose its password already.',
  );
