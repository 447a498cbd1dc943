import { AccountRpc, type RpcRequest, type RpcResponse } from '@twofold/contracts';
import { currentRequestMeta, RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { EmailService } from './email.service';

@RpcController()
export class EmailHandler {
  constructor(private readonly email: EmailService) {}

  @RpcHandler(AccountRpc.emailOf)
  of(
    @RpcPayload(AccountRpc.emailOf) request: RpcRequest<typeof AccountRpc.emailOf>,
  ): Promise<RpcResponse<typeof AccountRpc.emailOf>> {
    return this.email.of(request.memberId);
  }

  @RpcHandler(AccountRpc.requestEmailChange)
  requestChange(
    @RpcPayload(AccountRpc.requestEmailChange) request: RpcRequest<typeof AccountRpc.requestEmailChange>,
  ): Promise<RpcResponse<typeof AccountRpc.requestEmailChange>> {
    return this.email.requestChange(request, currentRequestMeta()?.ip ?? null);
  }

  @RpcHandler(AccountRpc.verifyEmail)
  verify(
    @RpcPayload(AccountRpc.verifyEmail) request: RpcRequest<typeof AccountRpc.verifyEmail>,
  ): Promise<RpcResponse<typeof AccountRpc.verifyEmail>> {
    return this.email.verify(request.token);
  }
}
