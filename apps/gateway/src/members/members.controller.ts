import { Controller, Post } from '@nestjs/common';
import { AccountRpc, type MemberView, type NewMember, newMemberSchema } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { ZodBody } from '../http/zod-body';
import { Authorize } from '../authorization/authorize.decorator';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';

/** Team members of the caller's account (owners and admins; account-service enforces the role). */
@Controller('api/v1/account/members')
export class MembersController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @Authorize('manageMembers')
  add(@CurrentAuth() auth: Authenticated, @ZodBody(newMemberSchema) body: NewMember): Promise<MemberView> {
    return this.rpc.call(AccountRpc.addMember, {
      actor: { memberId: auth.session.memberId, accountId: auth.session.accountId },
      member: body,
    });
  }
}
