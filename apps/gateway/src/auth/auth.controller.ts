import { Controller, Headers, HttpCode, Post } from '@nestjs/common';
import {
  type MfaRequired,
  mfaRequestSchema,
  type PasswordLoginRequest,
  passwordLoginRequestSchema,
  type SessionIssued,
  type SessionVia,
  type StepUpBody,
  stepUpBodySchema,
  type SteppedUp,
} from '@twofold/contracts';
import { type RequestMeta } from '@twofold/platform';
import { Meta } from '../http/request-meta';
import { ZodBody } from '../http/zod-body';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import { Authorize } from '../authorization/authorize.decorator';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';
import { WebDevice } from '../sessions/device';
import { StepUp } from '../sessions/step-up';
import { AuthService } from './auth.service';

@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly stepUp: StepUp,
  ) {}

  @Post('login')
  @HttpCode(200)
  @RateLimitedByIp('login')
  login(
    @ZodBody(passwordLoginRequestSchema) body: PasswordLoginRequest,
    @Meta() meta: RequestMeta,
    @WebDevice() webDevice: string | undefined,
    @Headers('sec-fetch-site') fetchSite?: string,
  ): Promise<SessionIssued | MfaRequired> {
    return this.auth.login(body, meta, { via: viaOf(fetchSite), webDevice });
  }

  /** Limited per address like the password, counted by the service along with taking the MFA token. */
  @Post('mfa')
  @HttpCode(200)
  mfa(
    @ZodBody(mfaRequestSchema) body: { mfaToken: string; code: string },
    @Meta() meta: RequestMeta,
    @WebDevice() webDevice: string | undefined,
    @Headers('sec-fetch-site') fetchSite?: string,
  ): Promise<SessionIssued> {
    return this.auth.completeMfa(body, meta, { via: viaOf(fetchSite), webDevice });
  }

  @Post('step-up')
  @HttpCode(200)
  @Authorize('self')
  @RateLimitedByIp('reauthenticate')
  stepUpSession(
    @CurrentAuth() auth: Authenticated,
    @ZodBody(stepUpBodySchema) body: StepUpBody,
  ): Promise<SteppedUp> {
    return this.stepUp.stepUp(auth.token, auth.session, body, auth.meta);
  }

  @Post('logout')
  @HttpCode(204)
  @Authorize('signedIn')
  logout(@CurrentAuth() auth: Authenticated): Promise<void> {
    return this.auth.logout(auth.token);
  }
}

/** Sec-Fetch-Site is sent by every current browser and not by API clients; only a label for the sessions list. */
const viaOf = (fetchSite: string | undefined): SessionVia => (fetchSite ? 'web' : 'api');
