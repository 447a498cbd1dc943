import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  codeBodySchema,
  type Enrollment,
  OtpRpc,
  type ResyncBody,
  resyncBodySchema,
  startEnrollmentBodySchema,
  type TwoFactorStatus,
} from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { ZodBody } from '../http/zod-body';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import { Authorize } from '../authorization/authorize.decorator';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';
import { TwoFactorService } from './two-factor.service';

@Controller('api/v1/me/two-factor')
export class TwoFactorController {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly rpc: RpcClient,
  ) {}

  @Get()
  @Authorize('signedIn')
  status(@CurrentAuth() auth: Authenticated): Promise<TwoFactorStatus> {
    return this.twoFactor.status(auth.session, auth.meta);
  }

  @Post('enrollment')
  @Authorize('signedIn')
  @RateLimitedByIp('reauthenticate')
  startEnrollment(
    @CurrentAuth() auth: Authenticated,
    @ZodBody(startEnrollmentBodySchema) body: { password: string },
  ): Promise<Enrollment> {
    return this.twoFactor.startEnrollment(auth.session, body.password, auth.meta);
  }

  @Post('enrollment/confirm')
  @HttpCode(200)
  @Authorize('signedIn')
  confirm(
    @CurrentAuth() auth: Authenticated,
    @ZodBody(codeBodySchema) body: { code: string },
  ): Promise<{ enabled: true; recoveryCodesRemaining: number }> {
    return this.twoFactor.confirmEnrollment(auth.token, auth.session, body.code, auth.meta);
  }

  @Post('test')
  @HttpCode(200)
  @Authorize('self')
  test(
    @CurrentAuth() auth: Authenticated,
    @ZodBody(codeBodySchema) body: { code: string },
  ): Promise<{ valid: boolean }> {
    return this.twoFactor.test(auth.session, body.code, auth.meta);
  }

  /** "My codes don't work": two codes in a row from the app realign it with its clock. */
  @Post('resync')
  @HttpCode(200)
  @Authorize('self')
  @RateLimitedByIp('reauthenticate')
  resync(
    @CurrentAuth() auth: Authenticated,
    @ZodBody(resyncBodySchema) body: ResyncBody,
  ): Promise<{ resynced: true; driftSeconds: number }> {
    return this.rpc.call(OtpRpc.resync, { memberId: auth.session.memberId, ...body }, { meta: auth.meta });
  }

  @Post('recovery-codes')
  @Authorize('selfWithSecondFactor')
  regenerate(@CurrentAuth() auth: Authenticated): Promise<{ recoveryCodes: string[] }> {
    return this.twoFactor.regenerateRecoveryCodes(auth.session, auth.meta);
  }

  @Delete()
  @HttpCode(204)
  @Authorize('selfWithSecondFactor')
  disable(@CurrentAuth() auth: Authenticated): Promise<void> {
    return this.twoFactor.disable(auth.token, auth.session, auth.meta);
  }
}
