import { Controller, HttpCode, Post } from '@nestjs/common';
import {
  AccountRpc,
  type PasswordResetAccepted,
  type PasswordResetConfirmBody,
  passwordResetConfirmBodySchema,
  type PasswordResetRequest,
  passwordResetRequestSchema,
} from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { Meta } from '../http/request-meta';
import { ZodBody } from '../http/zod-body';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import { PasswordResetService } from './password-reset.service';

@Controller('api/v1/auth/password-reset')
export class PasswordResetController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly reset: PasswordResetService,
  ) {}

  /** The same 202 for every login: whether a link is e-mailed is never said. */
  @Post()
  @HttpCode(202)
  @RateLimitedByIp('password-reset', 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE')
  request(
    @ZodBody(passwordResetRequestSchema) body: PasswordResetRequest,
    @Meta() meta: RequestMeta,
  ): Promise<PasswordResetAccepted> {
    return this.rpc.call(AccountRpc.requestPasswordReset, body, { meta });
  }

  @Post('confirm')
  @HttpCode(204)
  @RateLimitedByIp('links', 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE')
  confirm(
    @ZodBody(passwordResetConfirmBodySchema) body: PasswordResetConfirmBody,
    @Meta() meta: RequestMeta,
  ): Promise<void> {
    return this.reset.confirm(body, meta);
  }
}
