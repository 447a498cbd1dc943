import { Controller } from '@nestjs/common';
import { ROUTES } from '@twofold/contracts';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import { PasskeysService } from './passkeys.service';

const R = ROUTES.passkeys;

@Controller()
export class PasskeysController implements RouteHandlers<typeof R> {
  constructor(private readonly passkeys: PasskeysService) {}

  @Route(R.registrationOptions)
  @RateLimitedByIp('reauthenticate')
  registrationOptions({ auth }: RouteInput<typeof R.registrationOptions>) {
    return this.passkeys.registrationOptions(auth.session, auth.meta);
  }

  @Route(R.register)
  @RateLimitedByIp('reauthenticate')
  register({ auth, body }: RouteInput<typeof R.register>) {
    return this.passkeys.register(auth.token, auth.session, body, auth.meta);
  }

  @Route(R.list)
  list({ auth }: RouteInput<typeof R.list>) {
    return this.passkeys.list(auth.session, auth.meta);
  }

  @Route(R.rename)
  rename({ auth, params, body }: RouteInput<typeof R.rename>) {
    return this.passkeys.rename(auth.session, params.id, body.name, auth.meta);
  }

  @Route(R.remove)
  remove({ auth, params }: RouteInput<typeof R.remove>) {
    return this.passkeys.remove(auth.token, auth.session, params.id, auth.meta);
  }
}
