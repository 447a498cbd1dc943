import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { PolicyService } from './policy.service';

@RpcController()
export class PolicyHandler {
  constructor(private readonly policy: PolicyService) {}

  readonly rpc = bindRpc(AccountRpc, {
    policyOfMember: (request) => this.policy.ofMember(request.memberId),
    getPolicy: (request) => this.policy.get(request.actor),
    updatePolicy: (request, meta) => this.policy.update(request.actor, request.policy, meta),
    twoFactorCompliance: (request) => this.policy.compliance(request.actor),
    noteTwoFactorReset: (request) => this.policy.noteTwoFactorReset(request.memberId),
  });
}
