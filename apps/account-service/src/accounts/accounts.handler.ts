import { AccountRpc } from '@twofold/contracts';
import { bindRpc, currentRequestMeta, RpcController } from '@twofold/platform';

/** The client address the gateway saw, which the password counters are kept per. */
const clientAddress = (): string | null => currentRequestMeta()?.ip ?? null;
import { AccountsService } from './accounts.service';

@RpcController()
export class AccountsHandler {
  constructor(private readonly accounts: AccountsService) {}

  readonly rpc = bindRpc(AccountRpc, {
    signUp: (request) => this.accounts.signUp(request, clientAddress()),
    authenticatePassword: (request) => this.accounts.authenticatePassword(request, clientAddress()),
    verifyMemberPassword: (request) => this.accounts.verifyMemberPassword(request, clientAddress()),
    changePassword: (request) => this.accounts.changePassword(request, clientAddress()),
    getMember: (request) => this.accounts.getMember(request.memberId),
  });
}
