import { Controller } from '@nestjs/common';
import { AccountRpc, ROUTES } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';

const R = ROUTES.audit;

@Controller()
export class AuditController implements RouteHandlers<typeof R> {
  constructor(private readonly rpc: RpcClient) {}

  /** The account's security events, newest first; `nextCursor` fetches the next page. */
  @Route(R.list)
  list({ auth, query }: RouteInput<typeof R.list>) {
    return this.rpc.call(
      AccountRpc.listAuditEvents,
      { actor: { memberId: auth.session.memberId, accountId: auth.session.accountId }, query },
      { meta: auth.meta },
    );
  }
}
