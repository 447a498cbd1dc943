import { AccountRpc } from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { NotMeService } from './not-me.service';

@RpcController()
export class NotMeHandler {
  constructor(private readonly notMe: NotMeService) {}

  @RpcHandler(AccountRpc.reportNotMe)
  report(@RpcPayload(AccountRpc.reportNotMe) request: { token: string }): Promise<{ login: string }> {
    return this.notMe.report(request.token);
  }
}
