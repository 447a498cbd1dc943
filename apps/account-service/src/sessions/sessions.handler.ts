import { AccountRpc } from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { SessionsService } from './sessions.service';

@RpcController()
export class SessionsHandler {
  constructor(private readonly sessions: SessionsService) {}

  @RpcHandler(AccountRpc.reportNewDevice)
  newDevice(
    @RpcPayload(AccountRpc.reportNewDevice)
    request: {
      memberId: string;
      device: string;
      via: 'web' | 'api' | 'keystone';
    },
  ): Promise<{ notified: boolean }> {
    return this.sessions.newDevice(request);
  }

  @RpcHandler(AccountRpc.recordSessionEnded)
  ended(
    @RpcPayload(AccountRpc.recordSessionEnded)
    request: {
      memberId: string;
      sessionId: string;
      device: string;
    },
  ): Promise<{ recorded: true }> {
    return this.sessions.ended(request);
  }
}
