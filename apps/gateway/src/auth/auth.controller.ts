import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  type MfaRequired,
  mfaRequestSchema,
  type PasswordLoginRequest,
  passwordLoginRequestSchema,
  type SessionIssued,
} from '@twofold/contracts';
import { type FastifyRequest } from 'fastify';
import { ZodBody } from '../http/zod-body';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import { Authorize } from '../authorization/authorize.decorator';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';
import { AuthService } from './auth.service';

@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @RateLimitedByIp('login')
  login(
    @ZodBody(passwordLoginRequestSchema) body: PasswordLoginRequest,
  ): Promise<SessionIssued | MfaRequired> {
    return this.auth.login(body);
  }

  /** Limited per address like the password, counted by the service along with taking the MFA token. */
  @Post('mfa')
  @HttpCode(200)
  mfa(
    @ZodBody(mfaRequestSchema) body: { mfaToken: string; code: string },
    @Req() req: FastifyRequest,
  ): Promise<SessionIssued> {
    return this.auth.completeMfa(body, req.ip);
  }

  @Post('logout')
  @HttpCode(204)
  @Authorize('signedIn')
  logout(@CurrentAuth() auth: Authenticated): Promise<void> {
    return this.auth.logout(auth.token);
  }
}
