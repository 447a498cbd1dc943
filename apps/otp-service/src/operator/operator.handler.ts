import { OperatorRpc } from '@twofold/contracts';
import { RpcController, RpcHandler, RpcMeta, RpcPayload, type RequestMeta } from '@twofold/platform';
import { OperatorService } from './operator.service';

@RpcController()
export class OperatorHandler {
  constructor(private readonly operator: OperatorService) {}

  @RpcHandler(OperatorRpc.unlockSecondFactor)
  unlock(
    @RpcPayload(OperatorRpc.unlockSecondFactor) request: { memberId: string },
    @RpcMeta() meta: RequestMeta,
  ): Promise<{ unlocked: boolean }> {
    return this.operator.unlock(request.memberId, meta);
  }

  @RpcHandler(OperatorRpc.rotateKeys)
  rotateKeys(
    @RpcPayload(OperatorRpc.rotateKeys) _request: object,
  ): Promise<{ resealed: number; keyId: string }> {
    return this.operator.rotateKeys();
  }
}
