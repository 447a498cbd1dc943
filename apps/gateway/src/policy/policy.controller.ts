import { Controller } from '@nestjs/common';
import { AccountRpc, ROUTES } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';

const R = ROUTES.policy;

@Controller()
export class PolicyController implements RouteHandlers<typeof R> {
  constructor(private readonly rpc: RpcClient) {}

  @Route(R.get)
  get({ auth }: RouteInput<typeof R.get>) {
    return this.rpc.call(
      AccountRpc.getPolicy,
      { actor: { memberId: auth.session.memberId, accountId: auth.session.accountId } },
      { meta: auth.meta },
    );
  }

  @Route(R.update)
  update({ auth, body }: RouteInput<typeof R.update>) {
    return this.rpc.call(
      AccountRpc.updatePolicy,
      { actor: { memberId: auth.session.memberId, accountId: auth.session.accountId }, policy: body },
      { meta: auth.meta },
    );
  }
}
