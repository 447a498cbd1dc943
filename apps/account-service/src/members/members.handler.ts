import {
  AccountRpc,
  type ActorOnMember,
  type AddMemberRequest,
  type MemberView,
  type AssignableRole,
  type TeamMember,
  type RpcRequest,
  type RpcResponse,
} from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { MembersService } from './members.service';

@RpcController()
export class MembersHandler {
  constructor(private readonly members: MembersService) {}

  @RpcHandler(AccountRpc.addMember)
  add(@RpcPayload(AccountRpc.addMember) request: AddMemberRequest): Promise<TeamMember> {
    return this.members.add(request);
  }

  @RpcHandler(AccountRpc.resendInvitation)
  resendInvitation(@RpcPayload(AccountRpc.resendInvitation) request: ActorOnMember): Promise<TeamMember> {
    return this.members.resendInvitation(request);
  }

  @RpcHandler(AccountRpc.withdrawInvitation)
  withdrawInvitation(
    @RpcPayload(AccountRpc.withdrawInvitation) request: ActorOnMember,
  ): Promise<{ withdrawn: true }> {
    return this.members.withdrawInvitation(request);
  }

  @RpcHandler(AccountRpc.sendPasswordResetLink)
  sendPasswordResetLink(
    @RpcPayload(AccountRpc.sendPasswordResetLink) request: ActorOnMember,
  ): Promise<{ sent: true }> {
    return this.members.sendPasswordResetLink(request);
  }

  @RpcHandler(AccountRpc.listMembers)
  list(
    @RpcPayload(AccountRpc.listMembers) request: { actor: AddMemberRequest['actor'] },
  ): Promise<{ members: TeamMember[] }> {
    return this.members.list(request.actor);
  }

  @RpcHandler(AccountRpc.getManagedMember)
  get(@RpcPayload(AccountRpc.getManagedMember) request: ActorOnMember): Promise<MemberView> {
    return this.members.get(request);
  }

  @RpcHandler(AccountRpc.updateMemberRoles)
  updateRoles(
    @RpcPayload(AccountRpc.updateMemberRoles) request: ActorOnMember & { roles: AssignableRole[] },
  ): Promise<MemberView> {
    return this.members.updateRoles(request);
  }

  @RpcHandler(AccountRpc.removeMember)
  remove(@RpcPayload(AccountRpc.removeMember) request: ActorOnMember): Promise<{ removed: true }> {
    return this.members.remove(request);
  }

  @RpcHandler(AccountRpc.transferOwnership)
  transferOwnership(
    @RpcPayload(AccountRpc.transferOwnership) request: ActorOnMember,
  ): Promise<{ owner: MemberView; previousOwner: MemberView }> {
    return this.members.transferOwnership(request);
  }

  @RpcHandler(AccountRpc.setMemberPassword)
  setPassword(
    @RpcPayload(AccountRpc.setMemberPassword) request: ActorOnMember & { password: string },
  ): Promise<{ changed: true }> {
    return this.members.setPassword(request);
  }

  @RpcHandler(AccountRpc.endMemberSessions)
  endSessions(@RpcPayload(AccountRpc.endMemberSessions) request: ActorOnMember): Promise<{ ended: true }> {
    return this.members.endSessions(request);
  }

  @RpcHandler(AccountRpc.requestResync)
  requestResync(@RpcPayload(AccountRpc.requestResync) request: ActorOnMember): Promise<{ sent: true }> {
    return this.members.requestResync(request);
  }

  @RpcHandler(AccountRpc.endOwnSessions)
  endOwnSessions(
    @RpcPayload(AccountRpc.endOwnSessions) request: RpcRequest<typeof AccountRpc.endOwnSessions>,
  ): Promise<RpcResponse<typeof AccountRpc.endOwnSessions>> {
    return this.members.endOwnSessions(request);
  }
}
