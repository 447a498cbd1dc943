import { type MemberCodeRequest, OtpRpc, type RpcRequest, type Verified } from '@twofold/contracts';
import { RpcController, RpcHandler, RpcMeta, RpcPayload, type RequestMeta } from '@twofold/platform';
import { VerificationService } from './verification.service';

@RpcController()
export class VerificationHandler {
  constructor(private readonly verification: VerificationService) {}

  @RpcHandler(OtpRpc.verify)
  verify(
    @RpcPayload(OtpRpc.verify) request: RpcRequest<typeof OtpRpc.verify>,
    @RpcMeta() meta: RequestMeta,
  ): Promise<Verified> {
    return this.verification.verify(request, meta);
  }

  @RpcHandler(OtpRpc.resync)
  resync(
    @RpcPayload(OtpRpc.resync) request: RpcRequest<typeof OtpRpc.resync>,
    @RpcMeta() meta: RequestMeta,
  ): Promise<{ resynced: true; driftSeconds: number }> {
    return this.verification.resync(request, meta);
  }

  @RpcHandler(OtpRpc.test)
  test(
    @RpcPayload(OtpRpc.test) request: MemberCodeRequest,
    @RpcMeta() meta: RequestMeta,
  ): Promise<{ valid: boolean }> {
    return this.verification.test(request, meta);
  }
}
