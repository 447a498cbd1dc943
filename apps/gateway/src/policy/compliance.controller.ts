import { Controller, Get } from '@nestjs/common';
import { AccountRpc, type ComplianceView, OtpRpc } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { Authorize } from '../authorization/authorize.decorator';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';

@Controller('api/v1/account/two-factor-compliance')
export class ComplianceController {
  constructor(private readonly rpc: RpcClient) {}

  /** Who has 2FA (otp-service), and who must turn it on by when or is exempt (account-service). */
  @Get()
  @Authorize('managePolicy')
  async list(@CurrentAuth() auth: Authenticated): Promise<ComplianceView> {
    const { policy, members } = await this.rpc.call(
      AccountRpc.twoFactorCompliance,
      { actor: { memberId: auth.session.memberId, accountId: auth.session.accountId } },
      { meta: auth.meta },
    );
    const { enabled } = await this.rpc.call(
      OtpRpc.enabledAmong,
      { memberIds: members.map((m) => m.user.id) },
      { meta: auth.meta },
    );
    const on = new Set(enabled);
    return {
      requireTwoFactor: policy.requireTwoFactor,
      gracePeriodDays: policy.gracePeriodDays,
      members: members.map(({ user, exempt, deadline }) => ({
        ...user,
        enabled: on.has(user.id),
        deadline: on.has(user.id) ? null : deadline,
        exempt,
      })),
    };
  }
}
