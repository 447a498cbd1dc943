import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { AccountsService } from './accounts.service';

@RpcController()
export class AccountsHandler {
  constructor(private readonly accounts: AccountsService) {}

  readonly rpc = bindRpc(AccountRpc, {
    signUp: (request, meta) => this.accounts.signUp(request, meta),
    authenticatePassword: (request, meta) => this.accounts.authenticatePassword(request, meta),
    verifyMemberPassword: (request, meta) => this.accounts.verifyMemberPassword(request, meta),
    changePassword: (request, meta) => this.accounts.changePassword(request, meta),
    getMember: (request) => this.accounts.getMember(request.memberId),
  });
}
