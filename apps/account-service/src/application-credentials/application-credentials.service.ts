import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ACCESS_POLICIES,
  type ApplicationCredential,
  authorizeTarget,
  DomainError,
  type MemberWithAccount,
  type NewApplicationCredential,
  type Role,
  SERVICE_ROLE,
} from '@twofold/contracts';
import {
  applicationCredentialKey,
  Clock,
  orUnavailable,
  type RequestMeta,
  SecurityEventPublisher,
  SecurityStamps,
} from '@twofold/platform';
import { Redis } from 'ioredis';
import { type EntityManager } from 'typeorm';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MemberChanges } from '../accounts/member-changes';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import {
  ApplicationCredentialsRepository,
  type StoredCredential,
} from './application-credentials.repository';

type Actor = { memberId: string; accountId: string };

/** Stands in for an unknown credential, so that a wrong name costs what a wrong secret does. */
const NO_MEMBER = '00000000-0000-0000-0000-000000000000';

/** Secrets are hashed with argon2id, like passwords: a member may choose its own, weaker secret. */
@Injectable()
export class ApplicationCredentialsService {
  constructor(
    private readonly credentials: ApplicationCredentialsRepository,
    private readonly accounts: AccountsRepository,
    private readonly passwords: PasswordHasher,
    private readonly attempts: PasswordAttempts,
    private readonly stamps: SecurityStamps,
    private readonly changes: MemberChanges,
    private readonly events: SecurityEventPublisher,
    private readonly redis: Redis,
    private readonly clock: Clock,
  ) {}

  /** Ordered against the member's changes, so that none made during a change that ends credentials survives it. */
  async create(
    memberId: string,
    request: NewApplicationCredential,
    maker: { grant?: { stamp: string }; secondFactor: boolean },
    meta: RequestMeta | null,
  ): Promise<{ credential: ApplicationCredential; secret: string }> {
    const member = await this.member(memberId);
    if (member.user.roles.includes(SERVICE_ROLE)) {
      throw new DomainError(
        'forbidden',
        'A service user signs in with its password; it has no application credentials.',
      );
    }
    const roles: Role[] = request.roles ?? member.user.roles;
    if (!roles.every((role) => member.user.roles.includes(role))) {
      throw invalid(
        'Invalid application credential: Cannot create an application credential with unassigned role',
        'roles',
      );
    }
    const expiresAt = request.expiresAt ? new Date(request.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= this.clock.now().getTime()) {
      throw invalid('Invalid application credential: The expiration time is in the past.', 'expiresAt');
    }
    const secret = request.secret ?? randomBytes(64).toString('base64url');
    const secretHash = await this.passwords.hash(secret);
    const make = async (tx: EntityManager) => {
      const inserted = await this.credentials.insert(
        {
          memberId,
          name: request.name,
          description: request.description ?? null,
          secretHash,
          roles,
          expiresAt,
          secondFactorAt: maker.secondFactor ? this.clock.now() : null,
        },
        tx,
      );
      await this.emit('application_credential.created', member, memberId, inserted.view, meta, tx);
      return inserted;
    };
    const stored = maker.grant
      ? await this.changes.make({ id: memberId, stamp: maker.grant.stamp }, make)
      : await this.credentials.transaction(make);
    await this.markLive(memberId, stored);
    return { credential: stored.view, secret };
  }

  /** The member vouches with its second factor for a credential made with the password alone. */
  async confirm(
    memberId: string,
    id: string,
    grant: { stamp: string },
  ): Promise<{ credential: ApplicationCredential }> {
    const confirmed = await this.changes.make({ id: memberId, stamp: grant.stamp }, (tx) =>
      this.credentials.confirm(memberId, id, this.clock.now(), tx),
    );
    if (!confirmed)
      throw new DomainError('not_found', `Could not find Application Credential: ${id.replace(/-/g, '')}.`);
    return { credential: confirmed.view };
  }

  async list(memberId: string): Promise<{ credentials: ApplicationCredential[] }> {
    return { credentials: (await this.credentials.listOf(memberId)).map((c) => c.view) };
  }

  async delete(memberId: string, id: string, meta: RequestMeta | null): Promise<{ deleted: true }> {
    return this.remove(await this.member(memberId), memberId, id, meta);
  }

  async listOfMember(actor: Actor, memberId: string): Promise<{ credentials: ApplicationCredential[] }> {
    await this.target(actor, memberId);
    return this.list(memberId);
  }

  async deleteOfMember(
    actor: Actor,
    memberId: string,
    id: string,
    meta: RequestMeta | null,
  ): Promise<{ deleted: true }> {
    const { target } = await this.target(actor, memberId);
    return this.remove(target, actor.memberId, id, meta);
  }

  /** The member's stamp is read before its roles (as for a password). */
  async authenticate(
    request: {
      id?: string;
      name?: string;
      member?: { memberId: string } | { login: string };
      secret: string;
    },
    from: string | null,
  ): Promise<
    MemberWithAccount & {
      securityStamp: string;
      credential: { id: string; name: string; roles: Role[]; secondFactor: boolean };
    }
  > {
    const found = await this.find(request);
    const who =
      request.member &&
      ('memberId' in request.member ? request.member.memberId : request.member.login.toLowerCase());
    const subject = `application-credential:${found?.view.id ?? `${String(request.name).toLowerCase()}@${String(who)}`}`;
    const securityStamp = await this.stamps.current(found?.memberId ?? NO_MEMBER);
    const member = found ? await this.accounts.findMember(found.memberId) : undefined;
    // A generated secret is 512 random bits: only the guessing address is held back, never the credential.
    const attempt = await this.attempts.begin(subject, from, { mode: 'address', known: found !== undefined });
    if (attempt.kind === 'backoff') {
      throw new DomainError(
        'too_many_attempts',
        'Too many wrong secrets in a row. Wait a moment before trying again.',
        {
          retryAfterSeconds: Math.max(1, Math.ceil(attempt.retryAfterMs / 1000)),
        },
      );
    }
    const ok = found
      ? await this.passwords.verify(found.secretHash, request.secret)
      : await this.passwords.verifyNothing(request.secret);
    const roles = found && member ? found.view.roles.filter((role) => member.user.roles.includes(role)) : [];
    const expired = found?.view.expiresAt
      ? new Date(found.view.expiresAt).getTime() <= this.clock.now().getTime()
      : false;
    if (!found || !member || !ok || expired || roles.length === 0) {
      await this.attempts.failed(subject, from);
      throw new DomainError('invalid_credentials', 'The application credential or its secret is not valid.');
    }
    await this.attempts.clear(subject);
    await this.markLive(found.memberId, found);
    return {
      ...member,
      securityStamp,
      credential: { id: found.view.id, name: found.view.name, roles, secondFactor: found.view.secondFactor },
    };
  }

  private async find(request: {
    id?: string;
    name?: string;
    member?: { memberId: string } | { login: string };
  }): Promise<StoredCredential | undefined> {
    if (request.id) {
      const byId = await this.credentials.findById(request.id);
      if (!byId)
        throw new DomainError(
          'not_found',
          `Could not find Application Credential: ${request.id.replace(/-/g, '')}.`,
        );
      return byId;
    }
    if (!request.name || !request.member) {
      throw invalid('Expecting to find user in application credential.', 'member');
    }
    const memberId =
      'memberId' in request.member
        ? request.member.memberId
        : (await this.accounts.findByLogin(request.member.login))?.view.user.id;
    return memberId ? this.credentials.findByName(memberId, request.name) : undefined;
  }

  private async remove(
    owner: MemberWithAccount,
    actorId: string,
    id: string,
    meta: RequestMeta | null,
  ): Promise<{ deleted: true }> {
    const deleted = await this.credentials.transaction(async (tx) => {
      const row = await this.credentials.delete(owner.user.id, id, tx);
      if (row) await this.emit('application_credential.deleted', owner, actorId, row.view, meta, tx);
      return row;
    });
    if (!deleted)
      throw new DomainError('not_found', `Could not find Application Credential: ${id.replace(/-/g, '')}.`);
    // Its tokens end with the key; the row is already gone, so a sign-in cannot set it again.
    await orUnavailable(() => this.redis.del(applicationCredentialKey(owner.user.id, id)), 'This change');
    return { deleted: true };
  }

  private async markLive(memberId: string, credential: StoredCredential): Promise<void> {
    const key = applicationCredentialKey(memberId, credential.view.id);
    const expiresAt = credential.view.expiresAt ? new Date(credential.view.expiresAt).getTime() : undefined;
    await orUnavailable(
      () => (expiresAt ? this.redis.set(key, '1', 'PXAT', expiresAt) : this.redis.set(key, '1')),
      'Sign-in',
    );
  }

  private async member(memberId: string): Promise<MemberWithAccount> {
    const member = await this.accounts.findMember(memberId);
    if (!member) throw new DomainError('not_found', 'No such member.');
    return member;
  }

  private async target(actor: Actor, memberId: string): Promise<{ target: MemberWithAccount }> {
    const manager = await this.accounts.findManager(actor);
    if (!manager) throw new DomainError('forbidden', 'Only an owner or an admin can manage members.');
    const target = await this.accounts.findMember(memberId);
    if (!target || target.account.id !== manager.account.id)
      throw new DomainError('not_found', 'No such member in this account.');
    authorizeTarget(
      ACCESS_POLICIES.manageMember.target,
      { memberId: manager.user.id, roles: manager.user.roles },
      target.user,
    );
    return { target };
  }

  private emit(
    type: 'application_credential.created' | 'application_credential.deleted',
    owner: MemberWithAccount,
    actorId: string,
    credential: ApplicationCredential,
    meta: RequestMeta | null,
    tx: EntityManager,
  ): Promise<void> {
    return this.events.emit(
      {
        type,
        accountId: owner.account.id,
        actorId,
        subjectId: owner.user.id,
        details: { credentialId: credential.id, name: credential.name, roles: credential.roles.join(',') },
      },
      meta,
      tx,
    );
  }
}

const invalid = (message: string, path: string): DomainError =>
  new DomainError('validation_failed', message, { details: [{ path, message }] });
