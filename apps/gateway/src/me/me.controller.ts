import { Controller } from '@nestjs/common';
import { ROUTES } from '@twofold/contracts';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import { SessionStore } from '../sessions/session.store';
import { MeService } from './me.service';

const R = ROUTES.me;

@Controller()
export class MeController implements RouteHandlers<typeof R> {
  constructor(
    private readonly me: MeService,
    private readonly sessions: SessionStore,
  ) {}

  @Route(R.describe)
  describe({ auth }: RouteInput<typeof R.describe>) {
    return this.me.describe(auth.session, auth.meta);
  }

  /** The current password first; the member's other sessions end, this one stays. */
  @Route(R.changePassword)
  @RateLimitedByIp('reauthenticate')
  changePassword({ auth, body }: RouteInput<typeof R.changePassword>) {
    return this.me.changePassword(auth.token, auth.session, body, auth.meta);
  }

  /** A new address (the password first): it takes effect once the link e-mailed to it is opened. */
  @Route(R.changeEmail)
  @RateLimitedByIp('reauthenticate')
  changeEmail({ auth, body }: RouteInput<typeof R.changeEmail>) {
    return this.me.changeEmail(auth.session, body, auth.meta);
  }

  /** Not a security setting: any signed-in session, no step-up. */
  @Route(R.changeLanguage)
  changeLanguage({ auth, body }: RouteInput<typeof R.changeLanguage>) {
    return this.me.changeLanguage(auth.session, body.language, auth.meta);
  }

  @Route(R.listSessions)
  async listSessions({ auth }: RouteInput<typeof R.listSessions>) {
    return { sessions: await this.sessions.list(auth.session.memberId, auth.session.id) };
  }

  @Route(R.endOtherSessions)
  endOtherSessions({ auth }: RouteInput<typeof R.endOtherSessions>) {
    return this.me.endOtherSessions(auth.token, auth.session, auth.meta);
  }

  /** This one too, if named: that is signing out. */
  @Route(R.endSession)
  endSession({ auth, params }: RouteInput<typeof R.endSession>) {
    return this.me.endSession(auth.session, params.sessionId, auth.meta);
  }
}
