import { Injectable } from '@nestjs/common';
import { AccountRpc, type AuthenticationResponse, DomainError, PasskeyRpc } from '@twofold/contracts';
import { RpcClient, signedChallenge } from '@twofold/platform';
import { type ProvenMember, type SignInAttempt, type SignInMethod } from '../sign-in-method';

export interface PasskeyProofInput {
  challengeId: string;
  response: AuthenticationResponse;
}

const refused = (): DomainError =>
  new DomainError(
    'passkey_refused',
    'The passkey could not be verified. Try again, or sign in with your password.',
  );

/** Passwordless: a verified passkey is both factors; its member's stamp is read before the signature's check. */
@Injectable()
export class PasskeyMethod implements SignInMethod<PasskeyProofInput> {
  readonly factor = 'passkey';
  readonly after = [];
  readonly alone = true;
  readonly bothFactors = true;

  constructor(private readonly rpc: RpcClient) {}

  async prove(attempt: SignInAttempt, input: PasskeyProofInput): Promise<ProvenMember> {
    if (signedChallenge(input.response.response.clientDataJSON) !== input.challengeId) throw refused();
    const proof = await this.rpc.call(
      PasskeyRpc.authenticate,
      { flow: 'passwordless', memberId: null, response: input.response },
      { meta: attempt.meta },
    );
    if (!proof.securityStamp) throw refused();
    const [member, policy] = await Promise.all([
      this.rpc.call(AccountRpc.getMember, { memberId: proof.memberId }, { meta: attempt.meta }),
      this.rpc.call(AccountRpc.policyOfMember, { memberId: proof.memberId }, { meta: attempt.meta }),
    ]).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === 'not_found' ? refused() : error;
    });
    if (!policy.passwordlessSignIn || !policy.allowedSecondFactors.includes('webauthn')) {
      throw new DomainError(
        'second_factor_not_allowed',
        'Your account does not allow signing in with a passkey alone: sign in with your password, then your passkey.',
      );
    }
    attempt.passkey = proof.amr;
    return { member, stamp: proof.securityStamp };
  }
}
