import { AccountRpc } from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { ResyncLinksService } from './resync-links.service';

@RpcController()
export class ResyncLinksHandler {
  constructor(private readonly links: ResyncLinksService) {}

  @RpcHandler(AccountRpc.checkResyncLink)
  check(@RpcPayload(AccountRpc.checkResyncLink) request: { token: string }): Promise<{ memberId: string }> {
    return this.links.check(request.token);
  }

  @RpcHandler(AccountRpc.useResyncLink)
  use(@RpcPayload(AccountRpc.useResyncLink) request: { token: string }): Promise<{ used: true }> {
    return this.links.use(request.token);
  }
}
