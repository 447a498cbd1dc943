import { Controller, HttpCode, Post } from '@nestjs/common';
import { AccountRpc, type NotMeBody, notMeBodySchema, type NotMeReported } from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { Meta } from '../http/request-meta';
import { ZodBody } from '../http/zod-body';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';

/** "This wasn't me", posted by the page a security e-mail links to (a GET of that page never acts). */
@Controller('api/v1/security')
export class NotMeController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('not-me')
  @HttpCode(200)
  @RateLimitedByIp('links', 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE')
  report(@ZodBody(notMeBodySchema) body: NotMeBody, @Meta() meta: RequestMeta): Promise<NotMeReported> {
    return this.rpc.call(AccountRpc.reportNotMe, body, { meta });
  }
}
