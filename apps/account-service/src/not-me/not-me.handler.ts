import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { NotMeService } from './not-me.service';

@RpcController()
export class NotMeHandler {
  constructor(private readonly notMe: NotMeService) {}

  readonly rpc = bindRpc(AccountRpc, {
    reportNotMe: (request, meta) => this.notMe.report(request.token, meta),
  });
}
