import { Injectable } from '@nestjs/common';
import { OtpRpc } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { type SignInAttempt, type SignInMethod } from '../sign-in-method';

/**
 * The second factor: a TOTP code or a recovery code, checked by otp-service with its replay
 * window, back-off and lock. Only ever after the password of the same sign-in, so nobody
 * without the password can spend a member's codes, move its counters or learn it has 2FA.
 */
@Injectable()
export class TotpMethod implements SignInMethod<{ code: string }> {
  readonly factor = 'totp';
  readonly after = ['password'] as const;
  readonly secondFactor = true;
  readonly kind = 'totp';

  constructor(private readonly rpc: RpcClient) {}

  async prove(attempt: SignInAttempt, input: { code: string }): Promise<undefined> {
    await this.rpc.call(
      OtpRpc.verify,
      {
        memberId: attempt.who!.member.user.id,
        code: input.code,
        ...(attempt.usable?.includes('totp') === false ? { totpAllowed: false } : {}),
      },
      { meta: attempt.meta },
    );
    return undefined;
  }
}
