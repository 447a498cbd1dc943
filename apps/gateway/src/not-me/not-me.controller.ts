import { Controller } from '@nestjs/common';
import { AccountRpc, OtpRpc, ROUTES } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';
import { linkCode } from '../password-reset/password-reset.service';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';

const R = ROUTES.links;

/** What the pages of e-mailed links post (a GET of such a page never acts). */
@Controller()
export class NotMeController implements RouteHandlers<typeof R> {
  constructor(private readonly rpc: RpcClient) {}

  @Route(R.notMe)
  @RateLimitedByIp('links', 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE')
  notMe({ body, meta }: RouteInput<typeof R.notMe>) {
    return this.rpc.call(AccountRpc.reportNotMe, body, { meta });
  }

  @Route(R.acceptInvitation)
  // A 256-bit token cannot be guessed: the generous limit of sign-in calls, not the links' one.
  @RateLimitedByIp('invitation')
  acceptInvitation({ body, meta }: RouteInput<typeof R.acceptInvitation>) {
    return this.rpc.call(AccountRpc.acceptInvitation, body, { meta });
  }

  @Route(R.verifyEmail)
  @RateLimitedByIp('verify-email')
  verifyEmail({ body, meta }: RouteInput<typeof R.verifyEmail>) {
    return this.rpc.call(AccountRpc.verifyEmail, body, { meta });
  }

  @Route(R.resync)
  @RateLimitedByIp('links', 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE')
  async resync({ body, meta }: RouteInput<typeof R.resync>) {
    const { memberId } = await this.rpc.call(AccountRpc.checkResyncLink, { token: body.token }, { meta });
    const resynced = await linkCode(this.rpc, { token: body.token, purpose: 'two_factor_resync' }, meta, () =>
      this.rpc.call(
        OtpRpc.resync,
        { memberId, code1: body.code1, code2: body.code2, budget: 'link' },
        { meta },
      ),
    );
    await this.rpc.call(AccountRpc.useResyncLink, { token: body.token }, { meta });
    return resynced;
  }
}
