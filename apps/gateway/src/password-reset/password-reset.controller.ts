import { Controller } from '@nestjs/common';
import { AccountRpc, ROUTES } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import { PasswordResetService } from './password-reset.service';

const R = ROUTES.passwordReset;

@Controller()
export class PasswordResetController implements RouteHandlers<typeof R> {
  constructor(
    private readonly rpc: RpcClient,
    private readonly reset: PasswordResetService,
  ) {}

  /** The same 202 for every login: whether a link is e-mailed is never said. */
  @Route(R.request)
  @RateLimitedByIp('password-reset', 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE')
  request({ body, meta }: RouteInput<typeof R.request>) {
    return this.rpc.call(AccountRpc.requestPasswordReset, body, { meta });
  }

  @Route(R.confirm)
  @RateLimitedByIp('links', 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE')
  confirm({ body, meta }: RouteInput<typeof R.confirm>) {
    return this.reset.confirm(body, meta);
  }
}
