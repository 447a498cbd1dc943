import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { SessionsService } from './sessions.service';

@RpcController()
export class SessionsHandler {
  constructor(private readonly sessions: SessionsService) {}

  readonly rpc = bindRpc(AccountRpc, {
    reportNewDevice: (request, meta) => this.sessions.newDevice(request, meta),
    recordSessionEnded: (request, meta) => this.sessions.ended(request, meta),
  });
}
