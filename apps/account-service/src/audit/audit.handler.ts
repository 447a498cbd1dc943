import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { AuditService } from './audit.service';

@RpcController()
export class AuditHandler {
  constructor(private readonly audit: AuditService) {}

  readonly rpc = bindRpc(AccountRpc, {
    listAuditEvents: (request) => this.audit.list(request.actor, request.query),
  });
}
