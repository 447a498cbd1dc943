import { Injectable } from '@nestjs/common';
import { AccountRpc, type PasswordSignInRequest } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { type ProvenMember, type SignInAttempt, type SignInMethod } from '../sign-in-method';

/**
 * The password, by login or by member id. account-service checks it under the per-login
 * attempt limits (the same for REST, Keystone v3 and v2.0) and reads the member's stamp first.
 */
@Injectable()
export class PasswordMethod implements SignInMethod<PasswordSignInRequest> {
  readonly factor = 'password';
  readonly after = [];

  constructor(private readonly rpc: RpcClient) {}

  async prove(attempt: SignInAttempt, input: PasswordSignInRequest): Promise<ProvenMember> {
    const { securityStamp, ...member } = await this.rpc.call(AccountRpc.authenticatePassword, input, {
      meta: attempt.meta,
    });
    return { member, stamp: securityStamp };
  }
}
