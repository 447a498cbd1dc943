import {
  type DisableRequest,
  OtpRpc,
  type RpcRequest,
  type RpcResponse,
  type TwoFactorStatus,
} from '@twofold/contracts';
import { RpcController, RpcHandler, RpcMeta, RpcPayload, type RequestMeta } from '@twofold/platform';
import { TwoFactorService } from './two-factor.service';

@RpcController()
export class TwoFactorHandler {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @RpcHandler(OtpRpc.status)
  status(@RpcPayload(OtpRpc.status) request: { memberId: string }): Promise<TwoFactorStatus> {
    return this.twoFactor.status(request.memberId);
  }

  @RpcHandler(OtpRpc.enabledAmong)
  enabledAmong(
    @RpcPayload(OtpRpc.enabledAmong) request: { memberIds: string[] },
  ): Promise<{ enabled: string[] }> {
    return this.twoFactor.enabledAmong(request.memberIds);
  }

  @RpcHandler(OtpRpc.regenerateRecoveryCodes)
  regenerate(
    @RpcPayload(OtpRpc.regenerateRecoveryCodes) request: { memberId: string },
    @RpcMeta() meta: RequestMeta,
  ): Promise<{ recoveryCodes: string[] }> {
    return this.twoFactor.regenerateRecoveryCodes(request.memberId, meta);
  }

  @RpcHandler(OtpRpc.revertTwoFactor)
  revert(
    @RpcPayload(OtpRpc.revertTwoFactor) request: RpcRequest<typeof OtpRpc.revertTwoFactor>,
  ): Promise<RpcResponse<typeof OtpRpc.revertTwoFactor>> {
    return this.twoFactor.revert(request);
  }

  @RpcHandler(OtpRpc.disable)
  disable(
    @RpcPayload(OtpRpc.disable) request: DisableRequest,
    @RpcMeta() meta: RequestMeta,
  ): Promise<RpcResponse<typeof OtpRpc.disable>> {
    return this.twoFactor.disable(request, meta);
  }
}
