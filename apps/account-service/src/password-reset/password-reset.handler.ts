import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { PasswordResetService } from './password-reset.service';

@RpcController()
export class PasswordResetHandler {
  constructor(private readonly reset: PasswordResetService) {}

  readonly rpc = bindRpc(AccountRpc, {
    requestPasswordReset: (request, meta) => this.reset.request(request.login, meta),
    checkPasswordReset: (request) => this.reset.check(request.token),
    completePasswordReset: (request, meta) => this.reset.complete(request.token, request.newPassword, meta),
  });
}
