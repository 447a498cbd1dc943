import { OtpRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { VerificationService } from './verification.service';

@RpcController()
export class VerificationHandler {
  constructor(private readonly verification: VerificationService) {}

  readonly rpc = bindRpc(OtpRpc, {
    verify: (request, meta) => this.verification.verify(request, meta),
    resync: (request, meta) => this.verification.resync(request, meta),
    test: (request, meta) => this.verification.test(request, meta),
    checkRecoveryCode: (request, meta) => this.verification.checkRecoveryCode(request, meta),
  });
}
