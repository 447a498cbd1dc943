import { Injectable } from '@nestjs/common';
import { type AccountPolicy, type AccountPolicyUpdate, DomainError } from '@twofold/contracts';
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

  /** Changes the settings named; each change is audited. */
  async update(
    actor: { memberId: string; accountId: string },
    update: AccountPolicyUpdate,
  ): Promise<AccountPolicy> {
    await this.manager(actor);
    const before = (await this.accounts.policyOf(actor.accountId))!;
    await this.accounts.setPolicy(actor.accountId, update);
    const after = { ...before, ...update };
    const changed = Object.fromEntries(
      (Object.keys(after) as (keyof AccountPolicy)[])
        .filter((key) => before[key] !== after[key])
        .map((key) => [key, after[key]]),
    );
    if (Object.keys(changed).length > 0) {
      await this.events.emit({
        type: 'policy.changed',
        accountId: actor.accountId,
        actorId: actor.memberId,
        subjectId: null,
        details: changed,
      });
    }
    return after;
  }

  private async manager(actor: { memberId: string; accountId: string }): Promise<void> {
    if (!(await this.accounts.findManager(actor))) {
      throw new DomainError('forbidden', 'Only an owner or an admin can manage the account policy.');
    }
  }
}
