import { AccountRpc, AuditRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { SecurityEventsWebhook } from '../notifications/webhook/security-events-webhook';

@RpcController()
export class AuditHandler {
  constructor(
    private readonly audit: AuditService,
    private readonly entries: AuditRepository,
    private readonly webhook: SecurityEventsWebhook,
  ) {}

  readonly rpc = bindRpc(AccountRpc, {
    listAuditEvents: (request) => this.audit.list(request.actor, request.query),
  });

  readonly records = bindRpc(AuditRpc, {
    record: async ({ events }) => {
      const recorded = await this.entries.recordAll(events);
      await this.webhook.forward(events);
      return { recorded };
    },
  });
}
