import { AccountRpc, type AuditEventView, type AuditQuery } from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { AuditService } from './audit.service';

@RpcController()
export class AuditHandler {
  constructor(private readonly audit: AuditService) {}

  @RpcHandler(AccountRpc.listAuditEvents)
  list(
    @RpcPayload(AccountRpc.listAuditEvents)
    request: {
      actor: { memberId: string; accountId: string };
      query: AuditQuery;
    },
  ): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
    return this.audit.list(request.actor, request.query);
  }
}
