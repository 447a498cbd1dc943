import { type MemberWithAccount, OperatorRpc, type OperatorMember, type FailedJob } from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { OperatorService } from './operator.service';

@RpcController()
export class OperatorHandler {
  constructor(private readonly operator: OperatorService) {}

  @RpcHandler(OperatorRpc.createServiceUser)
  createServiceUser(
    @RpcPayload(OperatorRpc.createServiceUser) request: { login: string; password: string },
  ): Promise<MemberWithAccount> {
    return this.operator.createServiceUser(request);
  }

  @RpcHandler(OperatorRpc.deleteServiceUser)
  deleteServiceUser(
    @RpcPayload(OperatorRpc.deleteServiceUser) request: { login: string },
  ): Promise<{ deleted: true }> {
    return this.operator.deleteServiceUser(request.login);
  }

  @RpcHandler(OperatorRpc.findMember)
  findMember(@RpcPayload(OperatorRpc.findMember) request: { login: string }): Promise<OperatorMember> {
    return this.operator.findMember(request.login);
  }

  @RpcHandler(OperatorRpc.unlockSignIn)
  unlockSignIn(
    @RpcPayload(OperatorRpc.unlockSignIn) request: { login: string },
  ): Promise<{ unlocked: boolean }> {
    return this.operator.unlockSignIn(request.login);
  }

  @RpcHandler(OperatorRpc.listFailedJobs)
  listFailedJobs(@RpcPayload(OperatorRpc.listFailedJobs) _request: object): Promise<{ jobs: FailedJob[] }> {
    return this.operator.listFailedJobs();
  }

  @RpcHandler(OperatorRpc.retryFailedJobs)
  retryFailedJobs(
    @RpcPayload(OperatorRpc.retryFailedJobs) request: { ids?: string[] },
  ): Promise<{ retried: number }> {
    return this.operator.retryFailedJobs(request.ids);
  }
}
