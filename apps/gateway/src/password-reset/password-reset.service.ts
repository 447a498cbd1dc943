import { Injectable } from '@nestjs/common';
import { AccountRpc, DomainError, OtpRpc, type PasswordResetConfirmBody } from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';

/**
 * A stolen mailbox alone takes nothing: with 2FA the code is checked too, and its wrong codes count against
 * the link, never toward the member's sign-in lock. The link is checked first: an invalid one says nothing.
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
      await linkCode(this.rpc, { token: body.token, purpose: 'password_reset' }, meta, () =>
        this.rpc.call(OtpRpc.verify, { memberId, code: body.code!, budget: 'link' }, { meta }),
      );
    }
    await this.rpc.call(
      AccountRpc.completePasswordReset,
      { token: body.token, newPassword: body.newPassword },
      { meta },
    );
  }
}

/** A wrong or reused code also counts against the link, which is spent after a few. */
export async function linkCode<T>(
  rpc: RpcClient,
  link: { token: string; purpose: 'password_reset' | 'two_factor_resync' },
  meta: RequestMeta,
  check: () => Promise<T>,
): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (
      error instanceof DomainError &&
      (error.code === 'invalid_code' || error.code === 'code_already_used')
    ) {
      await rpc.call(AccountRpc.linkCodeFailed, link, { meta });
    }
    throw error;
  }
}
