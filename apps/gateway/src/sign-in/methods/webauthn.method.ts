import { Injectable } from '@nestjs/common';
import { type AuthenticationResponse, DomainError, PasskeyRpc } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { type SignInAttempt, type SignInMethod } from '../sign-in-method';

/** A passkey as the second factor, after the password; a refusal counts toward the member's back-off. */
@Injectable()
export class WebAuthnMethod implements SignInMethod<AuthenticationResponse> {
  readonly factor = 'webauthn';
  readonly after = ['password'] as const;
  readonly secondFactor = true;
  readonly kind = 'webauthn';

  constructor(private readonly rpc: RpcClient) {}

  async prove(attempt: SignInAttempt, response: AuthenticationResponse): Promise<undefined> {
    if (attempt.usable?.includes('webauthn') === false) {
      throw new DomainError(
        'second_factor_not_allowed',
        'Your account does not allow passkeys: use your code.',
      );
    }
    const proof = await this.rpc.call(
      PasskeyRpc.authenticate,
      { flow: 'second_factor', memberId: attempt.who!.member.user.id, response },
      { meta: attempt.meta },
    );
    attempt.passkey = proof.amr;
    return undefined;
  }
}
