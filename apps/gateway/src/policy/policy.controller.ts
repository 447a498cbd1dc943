import { Controller, Get, Put } from '@nestjs/common';
import {
  type AccountPolicy,
  type AccountPolicyUpdate,
  accountPolicyUpdateSchema,
  AccountRpc,
} from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { Authorize } from '../authorization/authorize.decorator';
import { ZodBody } from '../http/zod-body';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';

@Controller('api/v1/account/policy')
export class PolicyController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @Authorize('managePolicy')
  get(@CurrentAuth() auth: Authenticated): Promise<AccountPolicy> {
    return this.rpc.call(
      AccountRpc.getPolicy,
      {
        actor: { memberId: auth.session.memberId, accountId: auth.session.accountId },
      },
      { meta: auth.meta },
    );
  }

  @Put()
  @Authorize('changePolicy')
  update(
    @CurrentAuth() auth: Authenticated,
    @ZodBody(accountPolicyUpdateSchema) policy: AccountPolicyUpdate,
  ): Promise<AccountPolicy> {
    return this.rpc.call(
      AccountRpc.updatePolicy,
      {
        actor: { memberId: auth.session.memberId, accountId: auth.session.accountId },
        policy,
      },
      { meta: auth.meta },
    );
  }
}
