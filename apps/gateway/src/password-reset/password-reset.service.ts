import { Injectable } from '@nestjs/common';
import { AccountRpc, DomainError, OtpRpc, type PasswordResetConfirmBody } from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';

/**
 * "Forgot your password?" without weakening 2FA: the e-mailed link proves the mailbox, and for a
 * member with 2FA the second factor is checked in the same request, through the same verifier,
 * back-off and lock as a sign-in — a stolen mailbox alone takes nothing. The link is checked
 * first (an invalid one says nothing about the member), and used only once the rest passed.
 */
@Injectable()
export class PasswordResetService {
  constructor(private readonly rpc: RpcClient) {}

  async confirm(body: PasswordResetConfirmBody, meta: RequestMeta): Promise<void> {
    const { memberId } = await this.rpc.call(AccountRpc.checkPasswordReset, { token: body.token }, { meta });
    const twoFactor = await this.rpc.call(OtpRpc.status, { memberId }, { meta });
    if (twoFactor.enabled) {
      if (body.code === undefined) {
        throw new DomainError(
          'second_factor_required',
          'Two-factor authentication is on for this sign-in: enter a code from your authenticator app (or a recovery code) with the new password.',
        );
      }
      await this.rpc.call(OtpRpc.verify, { memberId, code: body.code }, { meta });
    }
    await this.rpc.call(
      AccountRpc.completePasswordReset,
      { token: body.token, newPassword: body.newPassword },
      { meta },
    );
  }
}
