import { Controller } from '@nestjs/common';
import { AccountRpc, OtpRpc, ROUTES } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';

const R = ROUTES.compliance;

@Controller()
export class ComplianceController implements RouteHandlers<typeof R> {
  constructor(private readonly rpc: RpcClient) {}

  /** Who has 2FA (otp-service), and who must turn it on by when or is exempt (account-service). */
  @Route(R.list)
  async list({ auth }: RouteInput<typeof R.list>) {
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
