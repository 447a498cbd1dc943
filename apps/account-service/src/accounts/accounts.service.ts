import { Injectable } from '@nestjs/common';
import {
  DomainError,
  type MemberPasswordRequest,
  type MemberWithAccount,
  type PasswordLoginRequest,
  type SignUpRequest,
} from '@twofold/contracts';
import { SecurityEventPublisher } from '@twofold/platform';
import { PasswordHasher } from '../passwords/password-hasher';
import { AccountsRepository, type MemberCredentials } from './accounts.repository';

@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly passwords: PasswordHasher,
    private readonly events: SecurityEventPublisher,
  ) {}

  async signUp(request: SignUpRequest): Promise<MemberWithAccount> {
    const created = await this.accounts.createAccountWithOwner({
      accountName: request.accountName,
      login: request.login,
      email: request.email,
      passwordHash: await this.passwords.hash(request.password),
    });
    await this.events.emit({
      type: 'account.created',
      accountId: created.account.id,
      actorId: created.user.id,
      subjectId: created.user.id,
      details: { accountName: created.account.name, login: created.user.login },
    });
    return created;
  }

  /** The same answer for an unknown login and a wrong password, in the same time. */
  async authenticatePassword(request: PasswordLoginRequest): Promise<MemberWithAccount> {
    return this.check(await this.accounts.findCredentialsByLogin(request.login), request.password);
  }

  /** A member changes their own password (the current one first). */
  async changePassword(request: {
    memberId: string;
    currentPassword: string;
    newPassword: string;
  }): Promise<{ changed: true }> {
    const { user, account } = await this.verifyMemberPassword({
      memberId: request.memberId,
      password: request.currentPassword,
    });
    await this.accounts.setPasswordHash(user.id, await this.passwords.hash(request.newPassword), new Date());
    await this.events.emit({
      type: 'password.changed',
      accountId: account.id,
      actorId: user.id,
      subjectId: user.id,
      details: {},
    });
    return { changed: true };
  }

  /** A signed-in member proving the password again. */
  async verifyMemberPassword(request: MemberPasswordRequest): Promise<MemberWithAccount> {
    return this.check(await this.accounts.findCredentialsById(request.memberId), request.password);
  }

  private async check(found: MemberCredentials | undefined, password: string): Promise<MemberWithAccount> {
    const ok = found
      ? await this.passwords.verify(found.passwordHash, password)
      : await this.passwords.verifyNothing(password);
    if (!found || !ok) throw new DomainError('invalid_credentials', 'The login or password is incorrect.');
    return found.view;
  }

  async findMemberByLogin(login: string): Promise<MemberWithAccount> {
    const found = await this.accounts.findCredentialsByLogin(login);
    if (!found) throw new DomainError('not_found', 'No such member.');
    return found.view;
  }

  async getMember(memberId: string): Promise<MemberWithAccount> {
    const found = await this.accounts.findMember(memberId);
    if (!found) throw new DomainError('not_found', 'No such member.');
    return found;
  }
}
