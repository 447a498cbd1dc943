import { Controller } from '@nestjs/common';
import { ROUTES, type SessionVia } from '@twofold/contracts';
import { type FastifyRequest } from 'fastify';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import { webDeviceOf } from '../sessions/device';
import { StepUp } from '../sessions/step-up';
import { AuthService } from './auth.service';

const R = ROUTES.auth;

@Controller()
export class AuthController implements RouteHandlers<typeof R> {
  constructor(
    private readonly auth: AuthService,
    private readonly stepUps: StepUp,
  ) {}

  @Route(R.login)
  @RateLimitedByIp('login')
  login({ body, meta, request, reply }: RouteInput<typeof R.login>) {
    return this.auth.login(body, meta, { via: viaOf(request), webDevice: webDeviceOf(request, reply) });
  }

  /** Limited per address like the password, counted by the service along with taking the MFA token. */
  @Route(R.mfa)
  mfa({ body, meta, request, reply }: RouteInput<typeof R.mfa>) {
    return this.auth.completeMfa(body, meta, { via: viaOf(request), webDevice: webDeviceOf(request, reply) });
  }

  @Route(R.mfaOptions)
  @RateLimitedByIp('mfa')
  mfaOptions({ body, meta }: RouteInput<typeof R.mfaOptions>) {
    return this.auth.mfaOptions(body.mfaToken, meta);
  }

  @Route(R.passkeyOptions)
  @RateLimitedByIp('passkey')
  passkeyOptions({ meta }: RouteInput<typeof R.passkeyOptions>) {
    return this.auth.passkeyOptions(meta);
  }

  /** Limited per address: no member is known before the answer, so nobody's counter moves. */
  @Route(R.passkey)
  @RateLimitedByIp('passkey')
  passkey({ body, meta, request, reply }: RouteInput<typeof R.passkey>) {
    return this.auth.signInWithPasskey(body, meta, {
      via: viaOf(request),
      webDevice: webDeviceOf(request, reply),
    });
  }

  @Route(R.stepUpOptions)
  @RateLimitedByIp('reauthenticate')
  stepUpOptions({ auth }: RouteInput<typeof R.stepUpOptions>) {
    return this.stepUps.options(auth.session, auth.meta);
  }

  @Route(R.stepUp)
  @RateLimitedByIp('reauthenticate')
  stepUp({ auth, body }: RouteInput<typeof R.stepUp>) {
    return this.stepUps.stepUp(auth.token, auth.session, body, auth.meta);
  }

  @Route(R.logout)
  logout({ auth }: RouteInput<typeof R.logout>) {
    return this.auth.logout(auth.token);
  }
}

/** Sec-Fetch-Site is sent by every current browser and not by API clients; only a label for the sessions list. */
const viaOf = (request: FastifyRequest): SessionVia => (request.headers['sec-fetch-site'] ? 'web' : 'api');
