import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { MembersService } from './members.service';

@RpcController()
export class MembersHandler {
  constructor(private readonly members: MembersService) {}

  readonly rpc = bindRpc(AccountRpc, {
    addMember: (request, meta) => this.members.add(request, meta),
    resendInvitation: (request, meta) => this.members.resendInvitation(request, meta),
    withdrawInvitation: (request, meta) => this.members.withdrawInvitation(request, meta),
    sendPasswordResetLink: (request, meta) => this.members.sendPasswordResetLink(request, meta),
    listMembers: (request) => this.members.list(request.actor),
    getManagedMember: (request) => this.members.get(request),
    updateMemberRoles: (request, meta) => this.members.updateRoles(request, meta),
    removeMember: (request, meta) => this.members.remove(request, meta),
    transferOwnership: (request, meta) => this.members.transferOwnership(request, meta),
    setMemberPassword: (request, meta) => this.members.setPassword(request, meta),
    endMemberSessions: (request, meta) => this.members.endSessions(request, meta),
    requestResync: (request, meta) => this.members.requestResync(request, meta),
    endOwnSessions: (request, meta) => this.members.endOwnSessions(request, meta),
  });
}
