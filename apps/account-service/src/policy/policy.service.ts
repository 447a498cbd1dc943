import { Injectable } from '@nestjs/common';
import { type AccountPolicy, DomainError } from '@twofold/contracts';
import { SecurityEventPublisher } from '@twofold/platform';
import { AccountsRepository } from '../accounts/accounts.repository';

@Injectable()
export class PolicyService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly events: SecurityEventPublisher,
  ) {}

  async ofMember(memberId: string): Promise<AccountPolicy> {
    const member = await this.accounts.findMember(memberId);
    const policy = member ? await this.accounts.policyOf(member.account.id) : undefined;
    if (!policy) throw new DomainError('not_found', 'No such member.');
    return policy;
  }

  async get(actor: { memberId: string; accountId: string }): Promise<AccountPolicy> {
    await this.manager(actor);
    return (await this.accounts.policyOf(actor.accountId))!;
  }

  async update(
    actor: { memberId: string; accountId: string },
    policy: AccountPolicy,
  ): Promise<AccountPolicy> {
    await this.manager(actor);
    const before = (await this.accounts.policyOf(actor.accountId))!;
    await this.accounts.setPolicy(actor.accountId, policy);
    if (before.requireTwoFactor !== policy.requireTwoFactor) {
      await this.events.emit({
        type: 'policy.changed',
        accountId: actor.accountId,
        actorId: actor.memberId,
        subjectId: null,
        details: { requireTwoFactor: policy.requireTwoFactor },
      });
    }
    return policy;
  }

  private async manager(actor: { memberId: string; accountId: string }): Promise<void> {
    if (!(await this.accounts.findManager(actor))) {
      throw new DomainError('forbidden', 'Only an owner or an admin can manage the account policy.');
    }
  }
}
