import { Injectable } from '@nestjs/common';
import {
  AccountRpc,
  DomainError,
  type MfaRequired,
  OtpRpc,
  type PasswordLoginRequest,
  type Role,
  type SessionIssued,
} from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { MfaTokenStore } from '../sessions/mfa-token.store';
import { SessionStore } from '../sessions/session.store';

@Injectable()
export class AuthService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
    private readonly mfaTokens: MfaTokenStore,
  ) {}

  /** Password first; a member with 2FA gets a single-use MFA token instead of a session. */
  async login(request: PasswordLoginRequest): Promise<SessionIssued | MfaRequired> {
    const { user, account } = await this.rpc.call(AccountRpc.authenticatePassword, request);
    const [twoFactor, policy] = await Promise.all([
      this.rpc.call(OtpRpc.status, { memberId: user.id }),
      this.rpc.call(AccountRpc.policyOfMember, { memberId: user.id }),
    ]);
    if (twoFactor.enabled) {
      const { token, pending } = await this.mfaTokens.issue({
        memberId: user.id,
        accountId: account.id,
        roles: user.roles,
        methods: ['password'],
      });
      return {
        status: 'mfa_required',
        mfaToken: token,
        methods: ['totp', 'recovery_code'],
        expiresAt: pending.expiresAt,
      };
    }
    // Under requireTwoFactor, a member without 2FA (other than an ops-only one) may only enrol.
    const restricted = policy.requireTwoFactor && !isOpsOnly(user.roles);
    return this.startSession(user.id, account.id, user.roles, 1, restricted);
  }

  /** The second factor: a TOTP code or a recovery code completes the sign-in with an aal2 session. */
  async completeMfa(request: { mfaToken: string; code: string }): Promise<SessionIssued> {
    const pending = await this.mfaTokens.take(request.mfaToken);
    if (!pending) {
      throw new DomainError(
        'mfa_token_invalid',
        'This sign-in has expired or was already completed. Sign in again with your password.',
      );
    }
    try {
      await this.rpc.call(OtpRpc.verify, { memberId: pending.memberId, code: request.code });
    } catch (error) {
      await this.mfaTokens.putBack(request.mfaToken, pending);
      throw error;
    }
    return this.startSession(pending.memberId, pending.accountId, pending.roles, 2);
  }

  logout(token: string, memberId: string): Promise<void> {
    return this.sessions.revoke(token, memberId);
  }

  private async startSession(
    memberId: string,
    accountId: string,
    roles: Role[],
    aal: 1 | 2,
    restricted = false,
  ): Promise<SessionIssued> {
    const { token, session } = await this.sessions.issue({ memberId, accountId, roles, aal, restricted });
    return { status: 'authenticated', token, expiresAt: session.expiresAt, aal };
  }
}

/** The automation member: password-only sign-in, whatever the account policy. */
export const isOpsOnly = (roles: Role[]): boolean => roles.length > 0 && roles.every((r) => r === 'ops');
