import { Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import {
  type ChangeEmailBody,
  changeEmailBodySchema,
  changePasswordBodySchema,
  type EmailChangeRequested,
  type MeView,
  type SessionList,
} from '@twofold/contracts';
import { z } from 'zod';
import { ZodBody, ZodParam } from '../http/zod-body';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import { Authorize } from '../authorization/authorize.decorator';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';
import { SessionStore } from '../sessions/session.store';
import { MeService } from './me.service';

@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly me: MeService,
    private readonly sessions: SessionStore,
  ) {}

  @Get()
  @Authorize('signedIn')
  describe(@CurrentAuth() auth: Authenticated): Promise<MeView> {
    return this.me.describe(auth.session, auth.meta);
  }

  /** The current password first; the member's other sessions end, this one stays. */
  @Put('password')
  @Authorize('self')
  @HttpCode(204)
  @RateLimitedByIp('reauthenticate')
  changePassword(
    @CurrentAuth() auth: Authenticated,
    @ZodBody(changePasswordBodySchema) body: { currentPassword: string; newPassword: string },
  ): Promise<void> {
    return this.me.changePassword(auth.token, auth.session, body, auth.meta);
  }

  /** A new address (the password first): it takes effect once the link e-mailed to it is opened. */
  @Put('email')
  @Authorize('self')
  @HttpCode(202)
  @RateLimitedByIp('reauthenticate')
  changeEmail(
    @CurrentAuth() auth: Authenticated,
    @ZodBody(changeEmailBodySchema) body: ChangeEmailBody,
  ): Promise<EmailChangeRequested> {
    return this.me.changeEmail(auth.session, body, auth.meta);
  }

  /** Where I am signed in. */
  @Get('sessions')
  @Authorize('self')
  async listSessions(@CurrentAuth() auth: Authenticated): Promise<SessionList> {
    return { sessions: await this.sessions.list(auth.session.memberId, auth.session.id) };
  }

  /** Sign out everywhere else: this session stays. */
  @Delete('sessions')
  @Authorize('self')
  @HttpCode(204)
  endOtherSessions(@CurrentAuth() auth: Authenticated): Promise<void> {
    return this.me.endOtherSessions(auth.token, auth.session, auth.meta);
  }

  /** Ends one of my sessions (this one too, if named: that is signing out). */
  @Delete('sessions/:sessionId')
  @Authorize('self')
  @HttpCode(204)
  endSession(
    @CurrentAuth() auth: Authenticated,
    @ZodParam('sessionId', z.uuid('must be a session id')) sessionId: string,
  ): Promise<void> {
    return this.me.endSession(auth.session, sessionId, auth.meta);
  }
}
