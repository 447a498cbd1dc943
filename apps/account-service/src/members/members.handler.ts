import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { MembersService } from './members.service';

@RpcController()
export class MembersHandler {
  constructor(private readonly members: MembersService) {}

  readonly rpc = bindRpc(AccountRpc, {
    addMember: (request) => this.members.add(request),
    resendInvitation: (request) => this.members.resendInvitation(request),
    withdrawInvitation: (request) => this.members.withdrawInvitation(request),
    sendPasswordResetLink: (request) => this.members.sendPasswordResetLink(request),
    listMembers: (request) => this.members.list(request.actor),
    getManagedMember: (request) => this.members.get(request),
    updateMemberRoles: (request) => this.members.updateRoles(request),
    removeMember: (request) => this.members.remove(request),
    transferOwnership: (request) => this.members.transferOwnership(request),
    setMemberPassword: (request) => this.members.setPassword(request),
    endMemberSessions: (request) => this.members.endSessions(request),
    requestResync: (request) => this.members.requestResync(request),
    endOwnSessions: (request) => this.members.endOwnSessions(request),
  });
}
