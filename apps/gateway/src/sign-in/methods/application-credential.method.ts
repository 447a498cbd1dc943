import { Injectable } from '@nestjs/common';
import { ApplicationCredentialRpc, type RpcRequest } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { type ProvenMember, type SignInAttempt, type SignInMethod } from '../sign-in-method';

export type ApplicationCredentialProof = RpcRequest<typeof ApplicationCredentialRpc.authenticate>;

/**
 * Keystone's `application_credential` method: a credential the member made (from a session with
 * the second factor, when it has 2FA) signs in alone, without a code, with its own roles.
 */
@Injectable()
export class ApplicationCredentialMethod implements SignInMethod<ApplicationCredentialProof> {
  readonly factor = 'application_credential';
  readonly after = [];
  readonly alone = true;

  constructor(private readonly rpc: RpcClient) {}

  async prove(attempt: SignInAttempt, input: ApplicationCredentialProof): Promise<ProvenMember> {
    const { securityStamp, credential, ...member } = await this.rpc.call(
      ApplicationCredentialRpc.authenticate,
      input,
      { meta: attempt.meta },
    );
    return { member, stamp: securityStamp, credential };
  }
}
