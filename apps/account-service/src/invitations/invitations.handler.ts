import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { InvitationsService } from './invitations.service';

@RpcController()
export class InvitationsHandler {
  constructor(private readonly invitations: InvitationsService) {}

  readonly rpc = bindRpc(AccountRpc, {
    acceptInvitation: (request, meta) => this.invitations.accept(request, meta),
  });
}
