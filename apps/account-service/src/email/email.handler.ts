import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { EmailService } from './email.service';

@RpcController()
export class EmailHandler {
  constructor(private readonly email: EmailService) {}

  readonly rpc = bindRpc(AccountRpc, {
    emailOf: (request) => this.email.of(request.memberId),
    requestEmailChange: (request, meta) => this.email.requestChange(request, meta),
    verifyEmail: (request, meta) => this.email.verify(request.token, meta),
  });
}
