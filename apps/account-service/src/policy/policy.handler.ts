import {
  type AccountPolicy,
  type AccountPolicyUpdate,
  AccountRpc,
  type MemberPolicy,
  type RpcResponse,
} from '@twofold/contracts';
import { RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { PolicyService } from './policy.service';

type Actor = { memberId: string; accountId: string };

@RpcController()
export class PolicyHandler {
  constructor(private readonly policy: PolicyService) {}

  @RpcHandler(AccountRpc.policyOfMember)
  ofMember(@RpcPayload(AccountRpc.policyOfMember) request: { memberId: string }): Promise<MemberPolicy> {
    return this.policy.ofMember(request.memberId);
  }

  @RpcHandler(AccountRpc.getPolicy)
  get(@RpcPayload(AccountRpc.getPolicy) request: { actor: Actor }): Promise<AccountPolicy> {
    return this.policy.get(request.actor);
  }

  @RpcHandler(AccountRpc.updatePolicy)
  update(
    @RpcPayload(AccountRpc.updatePolicy) request: { actor: Actor; policy: AccountPolicyUpdate },
  ): Promise<AccountPolicy> {
    return this.policy.update(request.actor, request.policy);
  }

  @RpcHandler(AccountRpc.twoFactorCompliance)
  compliance(
    @RpcPayload(AccountRpc.twoFactorCompliance) request: { actor: Actor },
  ): Promise<RpcResponse<typeof AccountRpc.twoFactorCompliance>> {
    return this.policy.compliance(request.actor);
  }

  @RpcHandler(AccountRpc.noteTwoFactorReset)
  noteReset(
    @RpcPayload(AccountRpc.noteTwoFactorReset) request: { memberId: string },
  ): Promise<{ noted: true }> {
    return this.policy.noteTwoFactorReset(request.memberId);
  }
}
