import { AccountRpc, type RpcRequest, type RpcResponse } from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { LinksService } from './links.service';

@RpcController()
export class LinksHandler {
  constructor(private readonly links: LinksService) {}

  @RpcHandler(AccountRpc.linkCodeFailed)
  codeFailed(
    @RpcPayload(AccountRpc.linkCodeFailed) request: RpcRequest<typeof AccountRpc.linkCodeFailed>,
  ): Promise<RpcResponse<typeof AccountRpc.linkCodeFailed>> {
    return this.links.codeFailed(request.purpose, request.token);
  }

  @RpcHandler(AccountRpc.checkResyncLink)
  check(@RpcPayload(AccountRpc.checkResyncLink) request: { token: string }): Promise<{ memberId: string }> {
    return this.links.check(request.token);
  }

  @RpcHandler(AccountRpc.useResyncLink)
  use(@RpcPayload(AccountRpc.useResyncLink) request: { token: string }): Promise<{ used: true }> {
    return this.links.use(request.token);
  }
}
