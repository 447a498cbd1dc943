import { AccountRpc, type PasswordResetRequest } from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { PasswordResetService } from './password-reset.service';

@RpcController()
export class PasswordResetHandler {
  constructor(private readonly reset: PasswordResetService) {}

  @RpcHandler(AccountRpc.requestPasswordReset)
  request(
    @RpcPayload(AccountRpc.requestPasswordReset) request: PasswordResetRequest,
  ): Promise<{ accepted: true }> {
    return this.reset.request(request.login);
  }

  @RpcHandler(AccountRpc.checkPasswordReset)
  check(
    @RpcPayload(AccountRpc.checkPasswordReset) request: { token: string },
  ): Promise<{ memberId: string }> {
    return this.reset.check(request.token);
  }

  @RpcHandler(AccountRpc.completePasswordReset)
  complete(
    @RpcPayload(AccountRpc.completePasswordReset) request: { token: string; newPassword: string },
  ): Promise<{ changed: true }> {
    return this.reset.complete(request.token, request.newPassword);
  }
}
