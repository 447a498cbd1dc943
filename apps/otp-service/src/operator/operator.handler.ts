import { OtpOperatorRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { OperatorService } from './operator.service';

@RpcController()
export class OperatorHandler {
  constructor(private readonly operator: OperatorService) {}

  readonly rpc = bindRpc(OtpOperatorRpc, {
    unlockSecondFactor: (request, meta) => this.operator.unlock(request.memberId, meta),
    rotateKeys: (_request) => this.operator.rotateKeys(),
  });
}
