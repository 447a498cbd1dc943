import { Controller, Post } from '@nestjs/common';
import {
  AccountRpc,
  type MemberWithAccount,
  type SignUpRequest,
  signUpRequestSchema,
} from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { ZodBody } from '../http/zod-body';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';

@Controller('api/v1/accounts')
export class AccountsController {
  constructor(private readonly rpc: RpcClient) {}

  /** Sign-up: a new account and its owner. */
  @Post()
  @RateLimitedByIp('sign-up')
  signUp(@ZodBody(signUpRequestSchema) body: SignUpRequest): Promise<MemberWithAccount> {
    return this.rpc.call(AccountRpc.signUp, body);
  }
}
