import { Controller, Get, HttpCode, Put } from '@nestjs/common';
import { changePasswordBodySchema, type MeView } from '@twofold/contracts';
import { ZodBody } from '../http/zod-body';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import { Authorize } from '../authorization/authorize.decorator';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';
import { MeService } from './me.service';

@Controller('api/v1/me')
export class MeController {
  constructor(private readonly me: MeService) {}

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
}
