import { Controller } from '@nestjs/common';
import { AccountRpc, ROUTES } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';

const R = ROUTES.accounts;

@Controller()
export class AccountsController implements RouteHandlers<typeof R> {
  constructor(private readonly rpc: RpcClient) {}

  /** Sign-up: a new account and its owner. */
  @Route(R.signUp)
  @RateLimitedByIp('sign-up')
  signUp({ body, meta }: RouteInput<typeof R.signUp>) {
    return this.rpc.call(AccountRpc.signUp, body, { meta });
  }
}
