import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { PasswordResetService } from './password-reset.service';

@RpcController()
export class PasswordResetHandler {
  constructor(private readonly reset: PasswordResetService) {}

  readonly rpc = bindRpc(AccountRpc, {
    requestPasswordReset: (request) => this.reset.request(request.login),
    checkPasswordReset: (request) => this.reset.check(request.token),
    completePasswordReset: (request) => this.reset.complete(request.token, request.newPassword),
  });
}
