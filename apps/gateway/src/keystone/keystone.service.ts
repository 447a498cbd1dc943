import { Injectable } from '@nestjs/common';
import { AccountRpc, DomainError, type MemberWithAccount, OtpRpc } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { isOpsOnly } from '../auth/auth.service';
import { MfaTokenStore, type PendingSignIn } from '../sessions/mfa-token.store';
import { type AuthMethod, type Session } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';
import { KeystoneError, REQUIRES_AUTHENTICATION } from './keystone-errors';
import { DEFAULT_DOMAIN, uuidOf } from './keystone-presenter';
import { type KeystoneUserRef, type V2AuthRequest, type V3AuthRequest } from './keystone-schemas';

const SUPPORTED: readonly AuthMethod[] = ['password', 'totp'];
const BAD_REQUEST_TAIL =
  'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';

export type TokenOutcome =
  | { kind: 'token'; token: string; session: Session; member: MemberWithAccount }
  | { kind: 'receipt'; receipt: string; pending: PendingSignIn; member: MemberWithAccount };

/**
 * Keystone's password and totp methods over Twofold's one verifier: the same replay window,
 * back-off and lock as the REST sign-in. A request proves what it can; if that is not yet
 * everything the member needs (password and totp for a member with 2FA), the answer is an auth
 * receipt (a short-lived, single-use MFA token bound to the member) to continue with.
 */
@Injectable()
export class KeystoneService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
    private readonly receipts: MfaTokenStore,
  ) {}

  async authenticate(request: V3AuthRequest, receiptToken: string | undefined): Promise<TokenOutcome> {
    const { identity } = request.auth;
    const methods = validateMethods(identity);
    const receipt = receiptToken ? await this.takeReceipt(receiptToken) : undefined;
    try {
      let member: MemberWithAccount | undefined;
      const proven = new Set<AuthMethod>(receipt?.methods ?? []);
      if (methods.includes('password')) {
        const user = identity.password!.user;
        member = await this.checkPassword(user, user.password);
        proven.add('password');
      }
      if (methods.includes('totp')) {
        const user = identity.totp!.user;
        const named = await this.findNamed(user);
        if (member && named.user.id !== member.user.id) throw unauthorized();
        member = named;
        if (receipt && receipt.memberId !== member.user.id) throw unauthorized();
        await this.rpc.call(OtpRpc.verify, { memberId: member.user.id, code: String(user.passcode) });
        proven.add('totp');
      }
      if (!member) throw unauthorized();
      if (receipt && receipt.memberId !== member.user.id)
        throw new KeystoneError(401, 'Could not find auth receipt.');
      this.checkScope(request, member);

      const needsTotp =
        proven.has('totp') || (await this.rpc.call(OtpRpc.status, { memberId: member.user.id })).enabled;
      if (!needsTotp) await this.refuseIfPolicyRequiresTwoFactor(member);
      const required: AuthMethod[] = needsTotp ? ['password', 'totp'] : ['password'];
      const provenList = SUPPORTED.filter((m) => proven.has(m));
      if (required.every((m) => proven.has(m))) {
        const { token, session } = await this.sessions.issue({
          memberId: member.user.id,
          accountId: member.account.id,
          roles: member.user.roles,
          aal: needsTotp ? 2 : 1,
          methods: provenList,
          unscoped: request.auth.scope === 'unscoped',
        });
        return { kind: 'token', token, session, member };
      }
      if (receipt && receiptToken) await this.receipts.putBack(receiptToken, receipt);
      const issued = await this.receipts.issue({
        memberId: member.user.id,
        accountId: member.account.id,
        roles: member.user.roles,
        methods: provenList,
      });
      return { kind: 'receipt', receipt: issued.token, pending: issued.pending, member };
    } catch (error) {
      // The receipt was not used to finish a sign-in: it stays usable until it expires.
      if (receipt && receiptToken) await this.receipts.putBack(receiptToken, receipt);
      throw error;
    }
  }

  /** The deprecated v2.0 API: password only, so it cannot serve a member with 2FA. */
  async authenticateV2(
    request: V2AuthRequest,
  ): Promise<{ token: string; session: Session; member: MemberWithAccount }> {
    const { username, password } = request.auth.passwordCredentials;
    const member = await this.rpc.call(AccountRpc.authenticatePassword, { login: username, password });
    const { tenantId, tenantName } = request.auth;
    if (tenantId && uuidOf(tenantId) !== member.account.id) throw unauthorized();
    if (tenantName && tenantName.toLowerCase() !== member.account.name.toLowerCase()) throw unauthorized();
    if ((await this.rpc.call(OtpRpc.status, { memberId: member.user.id })).enabled) {
      throw new KeystoneError(
        401,
        'This user has two-factor authentication enabled, which the Identity v2.0 API cannot complete. Use the Identity v3 API with the password and totp methods (for example --os-auth-type v3multifactor --os-auth-methods v3password,v3totp).',
      );
    }
    await this.refuseIfPolicyRequiresTwoFactor(member);
    const { token, session } = await this.sessions.issue({
      memberId: member.user.id,
      accountId: member.account.id,
      roles: member.user.roles,
      aal: 1,
    });
    return { token, session, member };
  }

  /** The live session of a token with its member, or undefined (Keystone: 404 "Failed to validate token"). */
  async describe(token: string): Promise<{ session: Session; member: MemberWithAccount } | undefined> {
    const session = await this.sessions.resolve(token);
    if (!session) return undefined;
    const member = await this.rpc
      .call(AccountRpc.getMember, { memberId: session.memberId })
      .catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'not_found') return undefined;
        throw error;
      });
    return member ? { session, member } : undefined;
  }

  /** A token may be validated or revoked by its own holder, or by an owner or admin of its account. */
  async mayInspect(caller: { session: Session }, subject: { session: Session }): Promise<boolean> {
    if (caller.session.memberId === subject.session.memberId) return true;
    if (caller.session.accountId !== subject.session.accountId) return false;
    const { user } = await this.rpc.call(AccountRpc.getMember, { memberId: caller.session.memberId });
    return user.roles.some((r) => r === 'owner' || r === 'admin');
  }

  revoke(token: string, session: Session): Promise<void> {
    return this.sessions.revoke(token, session.memberId);
  }

  /** Under requireTwoFactor, only an ops-only member may use the Identity API without 2FA. */
  private async refuseIfPolicyRequiresTwoFactor(member: MemberWithAccount): Promise<void> {
    if (isOpsOnly(member.user.roles)) return;
    const policy = await this.rpc.call(AccountRpc.policyOfMember, { memberId: member.user.id });
    if (policy.requireTwoFactor) {
      throw new KeystoneError(
        401,
        'Your account requires two-factor authentication. Turn it on in Account Settings, then sign in with your password and a passcode.',
      );
    }
  }

  private async takeReceipt(receiptToken: string): Promise<PendingSignIn> {
    const receipt = /^[A-Za-z0-9_-]{16,128}$/.test(receiptToken)
      ? await this.receipts.take(receiptToken)
      : undefined;
    // Keystone names the receipt in this message; a receipt is a credential, so it is not repeated here.
    if (!receipt) throw new KeystoneError(401, 'Could not find auth receipt.');
    return receipt;
  }

  private async checkPassword(user: KeystoneUserRef, password: string): Promise<MemberWithAccount> {
    const ref = userRef(user);
    return ref.by === 'id'
      ? this.rpc.call(AccountRpc.verifyMemberPassword, { memberId: ref.memberId, password })
      : this.rpc.call(AccountRpc.authenticatePassword, { login: ref.name, password });
  }

  private async findNamed(user: KeystoneUserRef): Promise<MemberWithAccount> {
    const ref = userRef(user);
    try {
      return ref.by === 'id'
        ? await this.rpc.call(AccountRpc.getMember, { memberId: ref.memberId })
        : await this.rpc.call(AccountRpc.findMemberByLogin, { login: ref.name });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found') throw unauthorized();
      throw error;
    }
  }

  /** The account is the member's only project: a scope naming anything else is refused. */
  private checkScope(request: V3AuthRequest, member: MemberWithAccount): void {
    const scope = request.auth.scope;
    if (!scope || scope === 'unscoped') return;
    if (scope.domain || scope.system) throw unauthorized();
    const project = scope.project;
    if (!project) return;
    if (project.id !== undefined) {
      if (uuidOf(project.id) !== member.account.id) throw unauthorized();
      return;
    }
    if (project.name === undefined) throw badRequest('Expecting to find id or name in project.');
    if (!project.domain) throw badRequest('Expecting to find domain in project.');
    if (
      !isDefaultDomain(project.domain) ||
      project.name.toLowerCase() !== member.account.name.toLowerCase()
    ) {
      throw unauthorized();
    }
  }
}

function validateMethods(identity: V3AuthRequest['auth']['identity']): AuthMethod[] {
  if (identity.methods.length === 0 || identity.methods.some((m) => !SUPPORTED.includes(m as AuthMethod))) {
    throw new KeystoneError(401, 'Attempted to authenticate with an unsupported method.', {
      identity: { methods: [...SUPPORTED] },
    });
  }
  const methods = identity.methods as AuthMethod[];
  for (const method of methods) {
    if (!identity[method]) throw badRequest(`Expecting to find ${method} in identity.`);
  }
  return methods;
}

type UserRef = { by: 'id'; memberId: string } | { by: 'name'; name: string };

function userRef(user: KeystoneUserRef): UserRef {
  if (user.id !== undefined) {
    const memberId = uuidOf(user.id);
    if (!memberId) throw unauthorized();
    return { by: 'id', memberId };
  }
  if (user.name === undefined) throw badRequest('Expecting to find id or name in user.');
  if (!user.domain) throw badRequest('Expecting to find domain in user.');
  if (!isDefaultDomain(user.domain)) throw unauthorized();
  return { by: 'name', name: user.name };
}

function isDefaultDomain(domain: { id?: string | undefined; name?: string | undefined }): boolean {
  return domain.id === DEFAULT_DOMAIN.id || (domain.id === undefined && domain.name === DEFAULT_DOMAIN.name);
}

const unauthorized = (): KeystoneError => new KeystoneError(401, REQUIRES_AUTHENTICATION);
const badRequest = (message: string): KeystoneError =>
  new KeystoneError(400, `${message} ${BAD_REQUEST_TAIL}`);
