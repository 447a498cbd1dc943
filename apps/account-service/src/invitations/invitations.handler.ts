import { AccountRpc, type RpcRequest, type RpcResponse } from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { InvitationsService } from './invitations.service';

@RpcController()
export class InvitationsHandler {
  constructor(private readonly invitations: InvitationsService) {}

  @RpcHandler(AccountRpc.acceptInvitation)
  accept(
    @RpcPayload(AccountRpc.acceptInvitation) request: RpcRequest<typeof AccountRpc.acceptInvitation>,
  ): Promise<RpcResponse<typeof AccountRpc.acceptInvitation>> {
    return this.invitations.accept(request);
  }
}
