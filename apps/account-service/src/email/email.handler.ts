import { AccountRpc } from '@twofold/contracts';
import { bindRpc, currentRequestMeta, RpcController } from '@twofold/platform';
import { EmailService } from './email.service';

@RpcController()
export class EmailHandler {
  constructor(private readonly email: EmailService) {}

  readonly rpc = bindRpc(AccountRpc, {
    emailOf: (request) => this.email.of(request.memberId),
    requestEmailChange: (request) => this.email.requestChange(request, currentRequestMeta()?.ip ?? null),
    verifyEmail: (request) => this.email.verify(request.token),
  });
}
