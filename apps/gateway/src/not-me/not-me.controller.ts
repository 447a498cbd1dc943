import { Controller, HttpCode, Post } from '@nestjs/common';
import {
  type AcceptInvitationBody,
  acceptInvitationBodySchema,
  AccountRpc,
  type NotMeBody,
  notMeBodySchema,
  type NotMeReported,
  OtpRpc,
  type ResyncLinkBody,
  resyncLinkBodySchema,
  type EmailVerified,
  type VerifyEmailBody,
  verifyEmailBodySchema,
} from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { Meta } from '../http/request-meta';
import { ZodBody } from '../http/zod-body';
import { linkCode } from '../password-reset/password-reset.service';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';

/** What the pages of e-mailed links post (a GET of such a page never acts). */
@Controller('api/v1/security')
export class NotMeController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('not-me')
  @HttpCode(200)
  @RateLimitedByIp('links', 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE')
  report(@ZodBody(notMeBodySchema) body: NotMeBody, @Meta() meta: RequestMeta): Promise<NotMeReported> {
    return this.rpc.call(AccountRpc.reportNotMe, body, { meta });
  }

  @Post('accept-invitation')
  @HttpCode(200)
  // A 256-bit token cannot be guessed: the generous limit of sign-in calls, not the links' one.
  @RateLimitedByIp('invitation')
  acceptInvitation(
    @ZodBody(acceptInvitationBodySchema) body: AcceptInvitationBody,
    @Meta() meta: RequestMeta,
  ): Promise<{ login: string }> {
    return this.rpc.call(AccountRpc.acceptInvitation, body, { meta });
  }

  @Post('verify-email')
  @HttpCode(200)
  @RateLimitedByIp('verify-email')
  verifyEmail(
    @ZodBody(verifyEmailBodySchema) body: VerifyEmailBody,
    @Meta() meta: RequestMeta,
  ): Promise<EmailVerified> {
    return this.rpc.call(AccountRpc.verifyEmail, body, { meta });
  }

  @Post('two-factor-resync')
  @HttpCode(200)
  @RateLimitedByIp('links', 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE')
  async resync(
    @ZodBody(resyncLinkBodySchema) body: ResyncLinkBody,
    @Meta() meta: RequestMeta,
  ): Promise<{ resynced: true; driftSeconds: number }> {
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
