import { Injectable } from '@nestjs/common';
import {
  type AccountRpc,
  type AuthenticatedMember,
  DEFAULT_LANGUAGE,
  DomainError,
  type MemberPasswordRequest,
  type MemberWithAccount,
  type PasswordSignInRequest,
  type RpcRequest,
  type RpcResponse,
  type SignUpRequest,
} from '@twofold/contracts';
import { Clock, type RequestMeta, SecurityEventPublisher, SecurityStamps } from '@twofold/platform';
import { Redis } from 'ioredis';
import { ApplicationCredentialsRepository } from '../application-credentials/application-credentials.repository';
import { dropCredentialKeys } from '../application-credentials/credential-keys';
import { chosenLanguage } from '../language/chosen-language';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { AccountsRepository } from './accounts.repository';
import { LoginProbes } from './login-probes';
import { MemberChanges } from './member-changes';

/** Stands in for an unknown member, so that every sign-in does the same reads. */
const NO_MEMBER = '00000000-0000-0000-0000-000000000000';

export const attemptSubject = (login: string): string => login.trim().toLowerCase();

@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly passwords: PasswordHasher,
    private readonly attempts: PasswordAttempts,
    private readonly stamps: SecurityStamps,
    private readonly changes: MemberChanges,
    private readonly credentials: ApplicationCredentialsRepository,
    private readonly redis: Redis,
    private readonly probes: LoginProbes,
    private readonly events: SecurityEventPublisher,
    private readonly clock: Clock,
  ) {}

  async signUp(request: SignUpRequest, meta: RequestMeta | null): Promise<MemberWithAccount> {
    const passwordHash = await this.passwords.hash(request.password);
    const language = chosenLanguage(request.language, meta) ?? DEFAULT_LANGUAGE;
    const created = await this.probes.guard(meta?.ip ?? null, () =>
      this.accounts.transaction(async (tx) => {
        const made = await this.accounts.createAccountWithOwner(
          {
            accountName: request.accountName,
            login: request.login,
            email: request.email,
            passwordHash,
            language,
          },
          tx,
        );
        await this.events.emit(
          {
            type: 'account.created',
            accountId: made.account.id,
            actorId: made.user.id,
            subjectId: made.user.id,
            details: { accountName: made.account.name, login: made.user.login },
          },
          meta,
          tx,
        );
        return made;
      }),
    );
    // Failures counted against the login while nobody had it are not the new member's (best effort).
    await this.attempts.clear(attemptSubject(created.user.login)).catch(() => undefined);
    return created;
  }

  async authenticatePassword(
    request: PasswordSignInRequest,
    meta: RequestMeta | null,
  ): Promise<AuthenticatedMember> {
    const memberId =
      'login' in request ? await this.accounts.findMemberIdByLogin(request.login) : request.memberId;
    const subject = 'login' in request ? attemptSubject(request.login) : `id:${request.memberId}`;
    return this.prove(memberId, subject, request.password, meta, 'sign_in');
  }

  async changePassword(
    request: RpcRequest<typeof AccountRpc.changePassword>,
    meta: RequestMeta | null,
  ): Promise<RpcResponse<typeof AccountRpc.changePassword>> {
    const { user, account } = await this.verifyMemberPassword(
      { memberId: request.memberId, password: request.currentPassword },
      meta,
    );
    const passwordHash = await this.passwords.hash(request.newPassword);
    const { result: ended, kept } = await this.changes.change(
      [{ id: user.id, ...(request.grant ? { keep: request.grant.stamp } : {}) }],
      async (tx) => {
        await this.accounts.setPasswordHash(user.id, passwordHash, this.clock.now(), tx);
        // A credential the password alone made was as strong as that password: it goes with it.
        const credentials = await this.credentials.deleteAllOf(user.id, tx, { passwordOnly: true });
        await this.events.emit(
          {
            type: 'password.changed',
            accountId: account.id,
            actorId: user.id,
            subjectId: user.id,
            details: credentials.length > 0 ? { applicationCredentialsEnded: credentials.length } : {},
          },
          meta,
          tx,
        );
        return credentials;
      },
    );
    await dropCredentialKeys(this.redis, user.id, ended);
    return { changed: true, ...(kept[user.id] ? { securityStamp: kept[user.id] } : {}) };
  }

  async verifyMemberPassword(
    request: MemberPasswordRequest,
    meta: RequestMeta | null,
  ): Promise<AuthenticatedMember> {
    return this.prove(request.memberId, `id:${request.memberId}`, request.password, meta, 'reauthentication');
  }

  /** The stamp is read before the credentials: a sign-in that read the old password never holds the new stamp. */
  private async prove(
    memberId: string | undefined,
    unknownSubject: string,
    password: string,
    meta: RequestMeta | null,
    purpose: 'sign_in' | 'reauthentication',
  ): Promise<AuthenticatedMember> {
    const from = meta?.ip ?? null;
    const securityStamp = await this.stamps.current(memberId ?? NO_MEMBER);
    const found = await this.accounts.findCredentialsById(memberId ?? NO_MEMBER);
    const subject = found ? attemptSubject(found.view.user.login) : unknownSubject;
    const attempt = await this.attempts.begin(subject, from, { mode: purpose, known: found !== undefined });
    if (attempt.kind === 'backoff') {
      throw new DomainError(
        'too_many_attempts',
        'Too many wrong passwords in a row. Wait a moment before trying again.',
        { retryAfterSeconds: Math.max(1, Math.ceil(attempt.retryAfterMs / 1000)) },
      );
    }
    if (attempt.kind === 'locked') {
      throw new DomainError(
        'sign_in_locked',
        'Sign-in is locked after too many wrong passwords in a row. An owner or admin of the account can unlock it by setting a new password.',
      );
    }
    // An invited member has no password yet: answered like an unknown one.
    const ok = found?.passwordHash
      ? await this.passwords.verify(found.passwordHash, password)
      : await this.passwords.verifyNothing(password);
    if (!found || !ok) {
      await this.attempts.failed(subject, from);
      if (found && this.attempts.locks(attempt)) {
        await this.emitLockChange('sign_in.locked', found.view, null, meta, attempt.loginFailures);
      }
      throw new DomainError('invalid_credentials', 'The login or password is incorrect.');
    }
    if (await this.attempts.clear(subject)) {
      await this.emitLockChange('sign_in.unlocked', found.view, found.view.user.id, meta);
    }
    // Said only to whoever knows the password: the member, or the intruder it was reported against.
    if (found.passwordSignInStopped) {
      throw new DomainError(
        'password_reset_required',
        'Signing in with this password is stopped because a security e-mail was reported as “this wasn’t me”. Choose a new password with “Forgot your password?” first.',
      );
    }
    return { ...found.view, securityStamp };
  }

  private emitLockChange(
    type: 'sign_in.locked' | 'sign_in.unlocked',
    member: MemberWithAccount,
    actorId: string | null,
    meta: RequestMeta | null,
    failures?: number,
  ): Promise<void> {
    return this.events.emit(
      {
        type,
        accountId: member.account.id,
        actorId,
        subjectId: member.user.id,
        details: failures === undefined ? {} : { failures },
      },
      meta,
    );
  }

  async getMember(memberId: string): Promise<MemberWithAccount> {
    const found = await this.accounts.findMember(memberId);
    if (!found) throw new DomainError('not_found', 'No such member.');
    return found;
  }
}
