import {
  AccountRpc,
  type MemberPasswordRequest,
  type MemberWithAccount,
  type PasswordLoginRequest,
  type SignUpRequest,
} from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { AccountsService } from './accounts.service';

@RpcController()
export class AccountsHandler {
  constructor(private readonly accounts: AccountsService) {}

  @RpcHandler(AccountRpc.signUp)
  signUp(@RpcPayload(AccountRpc.signUp) request: SignUpRequest): Promise<MemberWithAccount> {
    return this.accounts.signUp(request);
  }

  @RpcHandler(AccountRpc.authenticatePassword)
  authenticatePassword(
    @RpcPayload(AccountRpc.authenticatePassword) request: PasswordLoginRequest,
  ): Promise<MemberWithAccount> {
    return this.accounts.authenticatePassword(request);
  }

  @RpcHandler(AccountRpc.verifyMemberPassword)
  verifyMemberPassword(
    @RpcPayload(AccountRpc.verifyMemberPassword) request: MemberPasswordRequest,
  ): Promise<MemberWithAccount> {
    return this.accounts.verifyMemberPassword(request);
  }

  @RpcHandler(AccountRpc.findMemberByLogin)
  findMemberByLogin(
    @RpcPayload(AccountRpc.findMemberByLogin) request: { login: string },
  ): Promise<MemberWithAccount> {
    return this.accounts.findMemberByLogin(request.login);
  }

  @RpcHandler(AccountRpc.changePassword)
  changePassword(
    @RpcPayload(AccountRpc.changePassword)
    request: {
      memberId: string;
      currentPassword: string;
      newPassword: string;
    },
  ): Promise<{ changed: true }> {
    return this.accounts.changePassword(request);
  }

  @RpcHandler(AccountRpc.getMember)
  getMember(@RpcPayload(AccountRpc.getMember) request: { memberId: string }): Promise<MemberWithAccount> {
    return this.accounts.getMember(request.memberId);
  }
}
