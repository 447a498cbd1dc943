import { type MemberCodeRequest, OtpRpc, type Verified } from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { VerificationService } from './verification.service';

@RpcController()
export class VerificationHandler {
  constructor(private readonly verification: VerificationService) {}

  @RpcHandler(OtpRpc.verify)
  verify(@RpcPayload(OtpRpc.verify) request: MemberCodeRequest): Promise<Verified> {
    return this.verification.verify(request);
  }

  @RpcHandler(OtpRpc.test)
  test(@RpcPayload(OtpRpc.test) request: MemberCodeRequest): Promise<{ valid: boolean }> {
    return this.verification.test(request);
  }
}
