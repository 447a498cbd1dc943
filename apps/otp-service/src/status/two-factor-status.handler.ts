import { OtpRpc, type TwoFactorStatus } from '@twofold/contracts';
import { Clock, RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { CredentialsRepository } from '../credentials/credentials.repository';

@RpcController()
export class TwoFactorStatusHandler {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly clock: Clock,
  ) {}

  @RpcHandler(OtpRpc.status)
  status(@RpcPayload(OtpRpc.status) request: { memberId: string }): Promise<TwoFactorStatus> {
    return this.credentials.statusOf(request.memberId, this.clock.now());
  }
}
