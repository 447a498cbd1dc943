import { AccountOperatorRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { OperatorService } from './operator.service';

@RpcController()
export class OperatorHandler {
  constructor(private readonly operator: OperatorService) {}

  readonly rpc = bindRpc(AccountOperatorRpc, {
    createServiceUser: (request) => this.operator.createServiceUser(request),
    deleteServiceUser: (request) => this.operator.deleteServiceUser(request.login),
    findMember: (request) => this.operator.findMember(request.login),
    unlockSignIn: (request, meta) => this.operator.unlockSignIn(request.login, meta),
    listFailedJobs: (_request) => this.operator.listFailedJobs(),
    retryFailedJobs: (request) => this.operator.retryFailedJobs(request.ids),
  });
}
