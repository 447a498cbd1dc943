import { OtpRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { TwoFactorService } from './two-factor.service';

@RpcController()
export class TwoFactorHandler {
  constructor(private readonly twoFactor: TwoFactorService) {}

  readonly rpc = bindRpc(OtpRpc, {
    status: (request) => this.twoFactor.status(request.memberId),
    enabledAmong: (request) => this.twoFactor.enabledAmong(request.memberIds),
    regenerateRecoveryCodes: (request, meta) =>
      this.twoFactor.regenerateRecoveryCodes(request.memberId, meta),
    revertTwoFactor: (request) => this.twoFactor.revert(request),
    disable: (request, meta) => this.twoFactor.disable(request, meta),
    forgetMember: (request) => this.twoFactor.forgetMember(request.memberId),
  });
}
