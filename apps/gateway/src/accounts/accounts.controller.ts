import { Controller, Post } from '@nestjs/common';
import {
  AccountRpc,
  type MemberWithAccount,
  type SignUpRequest,
  signUpRequestSchema,
} from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { Meta } from '../http/request-meta';
import { ZodBody } from '../http/zod-body';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';

@Controller('api/v1/accounts')
export class AccountsController {
  constructor(private readonly rpc: RpcClient) {}

  /** Sign-up: a new account and its owner. */
  @Post()
  @RateLimitedByIp('sign-up')
  signUp(
    @ZodBody(signUpRequestSchema) body: SignUpRequest,
    @Meta() meta: RequestMeta,
  ): Promise<MemberWithAccount> {
    return this.rpc.call(AccountRpc.signUp, body, { meta });
  }
}
