import {
  AccountRpc,
  type AuthenticatedMember,
  type MemberPasswordRequest,
  type MemberWithAccount,
  type PasswordSignInRequest,
  type RpcRequest,
  type RpcResponse,
  type SignUpRequest,
} from '@twofold/contracts';
import { currentRequestMeta, RpcController, RpcHandler, RpcPayload } from '@twofold/platform';

/** The client address the gateway saw, which the password counters are kept per. */
const clientAddress = (): string | null => currentRequestMeta()?.ip ?? null;
import { AccountsService } from './accounts.service';

@RpcController()
export class AccountsHandler {
  constructor(private readonly accounts: AccountsService) {}

  @RpcHandler(AccountRpc.signUp)
  signUp(@RpcPayload(AccountRpc.signUp) request: SignUpRequest): Promise<MemberWithAccount> {
    return this.accounts.signUp(request, clientAddress());
  }

  @RpcHandler(AccountRpc.authenticatePassword)
  authenticatePassword(
    @RpcPayload(AccountRpc.authenticatePassword) request: PasswordSignInRequest,
  ): Promise<AuthenticatedMember> {
    return this.accounts.authenticatePassword(request, clientAddress());
  }

  @RpcHandler(AccountRpc.verifyMemberPassword)
  verifyMemberPassword(
    @RpcPayload(AccountRpc.verifyMemberPassword) request: MemberPasswordRequest,
  ): Promise<AuthenticatedMember> {
    return this.accounts.verifyMemberPassword(request, clientAddress());
  }

  @RpcHandler(AccountRpc.changePassword)
  changePassword(
    @RpcPayload(AccountRpc.changePassword)
    request: RpcRequest<typeof AccountRpc.changePassword>,
  ): Promise<RpcResponse<typeof AccountRpc.changePassword>> {
    return this.accounts.changePassword(request, clientAddress());
  }

  @RpcHandler(AccountRpc.getMember)
  getMember(@RpcPayload(AccountRpc.getMember) request: { memberId: string }): Promise<MemberWithAccount> {
    return this.accounts.getMember(request.memberId);
  }
}
