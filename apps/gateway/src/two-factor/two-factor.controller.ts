import { Controller } from '@nestjs/common';
import { OtpRpc, ROUTES } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import { TwoFactorService } from './two-factor.service';

const R = ROUTES.twoFactor;

@Controller()
export class TwoFactorController implements RouteHandlers<typeof R> {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly rpc: RpcClient,
  ) {}

  @Route(R.status)
  status({ auth }: RouteInput<typeof R.status>) {
    return this.twoFactor.status(auth.session, auth.meta);
  }

  @Route(R.startEnrollment)
  @RateLimitedByIp('reauthenticate')
  startEnrollment({ auth, body }: RouteInput<typeof R.startEnrollment>) {
    return this.twoFactor.startEnrollment(auth.session, body.password, auth.meta);
  }

  @Route(R.confirm)
  confirm({ auth, body }: RouteInput<typeof R.confirm>) {
    return this.twoFactor.confirmEnrollment(auth.token, auth.session, body.code, auth.meta);
  }

  @Route(R.test)
  test({ auth, body }: RouteInput<typeof R.test>) {
    return this.twoFactor.test(auth.session, body.code, auth.meta);
  }

  @Route(R.checkRecoveryCode)
  checkRecoveryCode({ auth, body }: RouteInput<typeof R.checkRecoveryCode>) {
    return this.twoFactor.checkRecoveryCode(auth.session, body.code, auth.meta);
  }

  /** "My codes don't work": two codes in a row from the app realign it with its clock. */
  @Route(R.resync)
  @RateLimitedByIp('reauthenticate')
  resync({ auth, body }: RouteInput<typeof R.resync>) {
    return this.rpc.call(OtpRpc.resync, { memberId: auth.session.memberId, ...body }, { meta: auth.meta });
  }

  @Route(R.regenerate)
  regenerate({ auth }: RouteInput<typeof R.regenerate>) {
    return this.twoFactor.regenerateRecoveryCodes(auth.session, auth.meta);
  }

  @Route(R.disable)
  disable({ auth }: RouteInput<typeof R.disable>) {
    return this.twoFactor.disable(auth.token, auth.session, auth.meta);
  }
}
