import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type AccountPolicy,
  DomainError,
  type Language,
  type MemberEmail,
  type TeamMember,
  type MemberWithAccount,
  type Role,
  SERVICE_PROJECT_NAME,
  SERVICE_ROLE,
} from '@twofold/contracts';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { MemberEntity } from '../members/member.entity';
import { AccountEntity } from './account.entity';

export interface MemberCredentials {
  view: MemberWithAccount;
  /** Null for an invited member that has chosen none yet: no password signs it in. */
  passwordHash: string | null;
  kind: 'customer' | 'service';
  /** "This wasn't me" was reported: password sign-in is refused until a new password is set. */
  passwordSignInStopped: boolean;
  emailVerified: boolean;
  language: Language;
}

/** Whom a security e-mail goes to, and in which language. */
export interface Recipient {
  id: string;
  login: string;
  email: string;
  language: Language;
}

export interface PolicyRecord {
  policy: AccountPolicy;
  requiredSince: Date | null;
  phishingResistantSince: Date | null;
}

export interface MemberFacts {
  view: MemberWithAccount;
  createdAt: Date;
  twoFactorResetAt: Date | null;
  kind: 'customer' | 'service';
}

const UNIQUE_VIOLATION = '23505';
const CONFLICTS: Record<string, DomainError> = {
  accounts_name_key: new DomainError('account_name_taken', 'An account with this name already exists.'),
  accounts_one_service: new DomainError(
    'account_name_taken',
    'The service account was being created at the same time; try again.',
  ),
  members_login_key: new DomainError('login_taken', 'This login is already taken.'),
};

@Injectable()
export class AccountsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Runs `work` in one transaction: changes and the security events that report them commit together. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** `share`: against changes only, for making a grant. False if one of them is gone. */
  async lockMembers(
    memberIds: readonly string[],
    tx: EntityManager,
    mode: 'update' | 'share' = 'update',
  ): Promise<boolean> {
    const rows = await tx.query<{ id: string }[]>(
      `SELECT id FROM members WHERE id = ANY($1::uuid[]) ORDER BY id FOR ${mode === 'share' ? 'SHARE' : 'UPDATE'}`,
      [[...memberIds]],
    );
    return rows.length === new Set(memberIds).size;
  }

  async createAccountWithOwner(
    input: {
      accountName: string;
      login: string;
      email: string;
      passwordHash: string;
      language: Language;
    },
    outer?: EntityManager,
  ): Promise<MemberWithAccount> {
    try {
      return await within(this.db, outer, async (tx) => {
        const account = await tx.save(tx.create(AccountEntity, { name: input.accountName }));
        const owner = await tx.save(
          tx.create(MemberEntity, {
            accountId: account.id,
            login: input.login,
            email: input.email,
            passwordHash: input.passwordHash,
            language: input.language,
            roles: ['owner'] satisfies Role[],
            passwordChangedAt: new Date(),
          }),
        );
        return toView(owner, account);
      });
    } catch (error) {
      const conflict = conflictOf(error);
      throw conflict ? await this.signUpConflicts(input, conflict) : error;
    }
  }

  /** Every taken field at once, so a sign-up form can mark them all (the first conflict keeps the code). */
  private async signUpConflicts(input: { accountName: string; login: string }, first: DomainError) {
    const [[name], [login]] = await Promise.all([
      this.db.query<unknown[]>('SELECT 1 FROM account.accounts WHERE lower(name) = lower($1) LIMIT 1', [
        input.accountName,
      ]),
      this.db.query<unknown[]>('SELECT 1 FROM account.members WHERE lower(login) = lower($1) LIMIT 1', [
        input.login,
      ]),
    ]);
    const details = [
      ...(name ? [{ path: 'accountName', message: 'is taken' }] : []),
      ...(login ? [{ path: 'login', message: 'is taken' }] : []),
    ];
    return details.length > 0 ? new DomainError(first.code, first.message, { details }) : first;
  }

  async addMember(
    input: {
      accountId: string;
      login: string;
      email: string;
      passwordHash: string | null;
      invitedUntil?: Date;
      roles: Role[];
      language: Language;
    },
    outer?: EntityManager,
  ): Promise<MemberWithAccount> {
    try {
      return await within(this.db, outer, async (tx) => {
        const account = await tx.findOneByOrFail(AccountEntity, { id: input.accountId });
        const member = await tx.save(tx.create(MemberEntity, { ...input, passwordChangedAt: new Date() }));
        return toView(member, account);
      });
    } catch (error) {
      throw conflictOf(error) ?? error;
    }
  }

  async addServiceUser(input: {
    login: string;
    email: string;
    passwordHash: string;
  }): Promise<MemberWithAccount> {
    try {
      return await this.db.transaction(async (tx) => {
        const accounts = tx.getRepository(AccountEntity);
        const account =
          (await accounts.findOneBy({ kind: 'service' })) ??
          (await accounts.save(accounts.create({ name: SERVICE_PROJECT_NAME, kind: 'service' })));
        const member = await tx.save(
          tx.create(MemberEntity, {
            ...input,
            accountId: account.id,
            roles: [SERVICE_ROLE] satisfies Role[],
            passwordChangedAt: new Date(),
          }),
        );
        return toView(member, account);
      });
    } catch (error) {
      throw conflictOf(error) ?? error;
    }
  }

  async findByLogin(
    login: string,
  ): Promise<{ view: MemberWithAccount; kind: 'customer' | 'service'; emailVerified: boolean } | undefined> {
    return this.findOneWithAccount('lower(m.login) = lower(:login)', { login });
  }

  async ownerOf(accountId: string): Promise<Recipient | undefined> {
    return (await this.managersOf(accountId)).find((m) => m.roles.includes('owner'));
  }

  async managersOf(accountId: string): Promise<(Recipient & { roles: Role[] })[]> {
    const members = await this.db
      .getRepository(MemberEntity)
      .createQueryBuilder('m')
      .where("m.account_id = :accountId AND m.roles && '{owner,admin}'", { accountId })
      .orderBy('m.created_at', 'ASC')
      .getMany();
    return members.map((m) => ({
      id: m.id,
      login: m.login,
      email: m.email,
      language: m.language,
      roles: m.roles,
    }));
  }

  async languageOf(memberId: string): Promise<Language | undefined> {
    return (await this.db.getRepository(MemberEntity).findOneBy({ id: memberId }))?.language;
  }

  async setLanguage(memberId: string, language: Language): Promise<boolean> {
    const result = await this.db.getRepository(MemberEntity).update({ id: memberId }, { language });
    return (result.affected ?? 0) > 0;
  }

  async policyOf(accountId: string): Promise<PolicyRecord | undefined> {
    const account = await this.db.getRepository(AccountEntity).findOneBy({ id: accountId });
    return account
      ? {
          policy: {
            requireTwoFactor: account.requireTwoFactor,
            gracePeriodDays: account.gracePeriodDays,
            notifyNewDevice: account.notifyNewDevice,
            allowedSecondFactors: account.allowedSecondFactors,
            phishingResistantFor: account.phishingResistantFor,
            passwordlessSignIn: account.passwordlessSignIn,
          },
          requiredSince: account.twoFactorRequiredSince,
          phishingResistantSince: account.phishingResistantSince,
        }
      : undefined;
  }

  async setPolicy(
    accountId: string,
    update: Partial<AccountPolicy> & { requiredSince?: Date | null; phishingResistantSince?: Date | null },
    tx: EntityManager = this.db.manager,
  ): Promise<void> {
    const { requiredSince, phishingResistantSince, ...policy } = update;
    await tx.getRepository(AccountEntity).update(
      { id: accountId },
      {
        ...policy,
        ...(requiredSince !== undefined ? { twoFactorRequiredSince: requiredSince } : {}),
        ...(phishingResistantSince !== undefined ? { phishingResistantSince } : {}),
      },
    );
  }

  async deadlineFactsOf(memberId: string): Promise<MemberFacts | undefined> {
    const member = await this.db
      .getRepository(MemberEntity)
      .findOne({ where: { id: memberId }, relations: { account: true } });
    return member?.account ? factsOf(member, member.account) : undefined;
  }

  async deadlineFactsOfAccount(accountId: string): Promise<MemberFacts[]> {
    const members = await this.db
      .getRepository(MemberEntity)
      .find({ where: { accountId }, relations: { account: true }, order: { createdAt: 'ASC' } });
    return members.map((m) => factsOf(m, m.account!));
  }

  async noteTwoFactorReset(
    memberId: string,
    at: Date,
    tx: EntityManager = this.db.manager,
  ): Promise<boolean> {
    const result = await tx.getRepository(MemberEntity).update({ id: memberId }, { twoFactorResetAt: at });
    return (result.affected ?? 0) > 0;
  }

  async listTeam(accountId: string): Promise<TeamMember[]> {
    const members = await this.db
      .getRepository(MemberEntity)
      .find({ where: { accountId }, relations: { account: true }, order: { createdAt: 'ASC' } });
    return members.map((m) => teamMemberOf(m));
  }

  async teamMember(memberId: string, tx: EntityManager = this.db.manager): Promise<TeamMember | undefined> {
    const member = await tx.getRepository(MemberEntity).findOneBy({ id: memberId });
    return member ? teamMemberOf(member) : undefined;
  }

  async extendInvitation(memberId: string, until: Date, tx: EntityManager): Promise<boolean> {
    const result = await tx
      .getRepository(MemberEntity)
      .createQueryBuilder()
      .update()
      .set({ invitedUntil: until })
      .where('id = :memberId AND invited_until IS NOT NULL', { memberId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async acceptInvitation(
    memberId: string,
    change: { passwordHash: string; address: string; at: Date; language?: Language },
    tx: EntityManager,
  ): Promise<boolean> {
    const result = await tx
      .getRepository(MemberEntity)
      .createQueryBuilder()
      .update()
      .set({
        passwordHash: change.passwordHash,
        passwordChangedAt: change.at,
        invitedUntil: null,
        emailVerifiedAt: change.at,
        ...(change.language ? { language: change.language } : {}),
      })
      .where('id = :memberId AND invited_until > :at AND lower(email) = lower(:address)', {
        memberId,
        at: change.at,
        address: change.address,
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async updateRoles(memberId: string, roles: Role[], tx: EntityManager = this.db.manager): Promise<void> {
    await tx.getRepository(MemberEntity).update({ id: memberId }, { roles });
  }

  async transferOwnership(fromMemberId: string, toMemberId: string, outer?: EntityManager): Promise<void> {
    await within(this.db, outer, async (tx) => {
      // The old owner first: one owner per account is a unique index.
      await tx.getRepository(MemberEntity).update({ id: fromMemberId }, { roles: ['admin'] });
      await tx.getRepository(MemberEntity).update({ id: toMemberId }, { roles: ['owner'] });
    });
  }

  async deleteMember(memberId: string, tx: EntityManager = this.db.manager): Promise<void> {
    await tx.getRepository(MemberEntity).delete({ id: memberId });
  }

  /** Lifts a "this wasn't me" stop; the reset links e-mailed before it stop working. */
  async setPasswordHash(
    memberId: string,
    passwordHash: string,
    at: Date,
    tx: EntityManager = this.db.manager,
  ): Promise<void> {
    const change = async (m: EntityManager) => {
      await m
        .getRepository(MemberEntity)
        .update({ id: memberId }, { passwordHash, passwordChangedAt: at, passwordSignInStoppedAt: null });
      await m.query(
        `UPDATE link_tokens SET used_at = $2 WHERE member_id = $1 AND purpose = 'password_reset' AND used_at IS NULL`,
        [memberId, at],
      );
    };
    await within(this.db, tx === this.db.manager ? undefined : tx, change);
  }

  async emailOf(memberId: string): Promise<MemberEmail | undefined> {
    const member = await this.db.getRepository(MemberEntity).findOneBy({ id: memberId });
    return member
      ? { address: member.email, verified: member.emailVerifiedAt !== null, pending: member.pendingEmail }
      : undefined;
  }

  async setPendingEmail(memberId: string, email: string | null, tx: EntityManager): Promise<void> {
    await tx.getRepository(MemberEntity).update({ id: memberId }, { pendingEmail: email });
  }

  /** Undefined if the address is neither the member's nor its pending one any more (a newer change replaced it). */
  async confirmEmail(
    memberId: string,
    address: string,
    at: Date,
    tx: EntityManager,
  ): Promise<{ changedFrom?: string } | undefined> {
    const member = await tx
      .getRepository(MemberEntity)
      .findOne({ where: { id: memberId }, lock: { mode: 'pessimistic_write' } });
    if (!member) return undefined;
    if (member.pendingEmail !== null && member.pendingEmail.toLowerCase() === address.toLowerCase()) {
      await tx
        .getRepository(MemberEntity)
        .update({ id: memberId }, { email: member.pendingEmail, pendingEmail: null, emailVerifiedAt: at });
      await tx.query(
        `UPDATE link_tokens SET used_at = $2 WHERE member_id = $1 AND purpose = 'password_reset' AND used_at IS NULL`,
        [memberId, at],
      );
      return { changedFrom: member.email };
    }
    if (member.email.toLowerCase() !== address.toLowerCase()) return undefined;
    await tx.getRepository(MemberEntity).update({ id: memberId }, { emailVerifiedAt: at });
    return {};
  }

  /** "This wasn't me" of a change of address: back to `from` (proven), if it is still `to`. */
  async revertEmail(
    memberId: string,
    change: { from: string; to: string },
    at: Date,
    tx: EntityManager,
  ): Promise<boolean> {
    const result = await tx
      .getRepository(MemberEntity)
      .createQueryBuilder()
      .update()
      .set({ email: change.from, emailVerifiedAt: at, pendingEmail: null })
      .where('id = :memberId AND lower(email) = lower(:to)', { memberId, to: change.to })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async stopPasswordSignIn(memberId: string, at: Date, tx: EntityManager): Promise<void> {
    await tx.getRepository(MemberEntity).update({ id: memberId }, { passwordSignInStoppedAt: at });
  }

  async findMemberIdByLogin(login: string): Promise<string | undefined> {
    const rows = await this.db.query<{ id: string }[]>(
      'SELECT id FROM members WHERE lower(login) = lower($1)',
      [login],
    );
    return rows[0]?.id;
  }

  findCredentialsById(memberId: string): Promise<MemberCredentials | undefined> {
    return this.findOneWithAccount('m.id = :memberId', { memberId });
  }

  /** The one check of who manages: every team, policy and audit call starts here. */
  async findManager(actor: { memberId: string; accountId: string }): Promise<MemberWithAccount | undefined> {
    const found = await this.findMember(actor.memberId);
    const manages =
      found?.account.id === actor.accountId && found.user.roles.some((r) => r === 'owner' || r === 'admin');
    return manages ? found : undefined;
  }

  async findMember(memberId: string): Promise<MemberWithAccount | undefined> {
    return (await this.findCredentialsById(memberId))?.view;
  }

  /** One query, the member joined to its account (findOne with a relation issues two). */
  private async findOneWithAccount(
    where: string,
    parameters: Record<string, string>,
  ): Promise<MemberCredentials | undefined> {
    const member = await this.db
      .getRepository(MemberEntity)
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.account', 'a')
      .where(where, parameters)
      .getOne();
    return member?.account
      ? {
          view: toView(member, member.account),
          passwordHash: member.passwordHash,
          kind: member.account.kind,
          passwordSignInStopped: member.passwordSignInStoppedAt !== null,
          emailVerified: member.emailVerifiedAt !== null,
          language: member.language,
        }
      : undefined;
  }
}

const within = <T>(db: DataSource, tx: EntityManager | undefined, work: (tx: EntityManager) => Promise<T>) =>
  tx ? work(tx) : db.transaction(work);

function factsOf(member: MemberEntity, account: AccountEntity): MemberFacts {
  return {
    view: toView(member, account),
    createdAt: member.createdAt,
    twoFactorResetAt: member.twoFactorResetAt,
    kind: account.kind,
  };
}

function teamMemberOf(member: MemberEntity): TeamMember {
  return {
    id: member.id,
    login: member.login,
    email: member.email,
    roles: member.roles,
    invitation: member.invitedUntil ? { expiresAt: member.invitedUntil.toISOString() } : null,
  };
}

function toView(member: MemberEntity, account: AccountEntity): MemberWithAccount {
  return {
    account: { id: account.id, name: account.name },
    user: { id: member.id, login: member.login, email: member.email, roles: member.roles },
  };
}

function conflictOf(error: unknown): DomainError | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  if (driverError.code !== UNIQUE_VIOLATION || !driverError.constraint) return undefined;
  return CONFLICTS[driverError.constraint];
}
