import { Controller, Get, Query } from '@nestjs/common';
import {
  AccountRpc,
  type AuditEventView,
  type AuditQuery,
  auditQuerySchema,
  parseInput,
} from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { Authorize } from '../authorization/authorize.decorator';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';

@Controller('api/v1/account/audit-events')
export class AuditController {
  constructor(private readonly rpc: RpcClient) {}

  /** The account's security events, newest first; `nextCursor` fetches the next page. */
  @Get()
  @Authorize('readAudit')
  list(
    @CurrentAuth() auth: Authenticated,
    @Query() rawQuery: Record<string, string>,
  ): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
    const query: AuditQuery = parseInput(auditQuerySchema, rawQuery, 'query');
    return this.rpc.call(
      AccountRpc.listAuditEvents,
      {
        actor: { memberId: auth.session.memberId, accountId: auth.session.accountId },
        query,
      },
      { meta: auth.meta },
    );
  }
}
