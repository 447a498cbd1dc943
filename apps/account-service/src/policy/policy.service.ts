import { Injectable } from '@nestjs/common';
import {
  type AccountPolicy,
  type AccountPolicyUpdate,
  DomainError,
  isOpsOnly,
  type MemberPolicy,
} from '@twofold/contracts';
import {
  Clock,
  memberDeadlineKey,
  orUnavailable,
  type RequestMeta,
  SecurityEventPublisher,
} from '@twofold/platform';
import { Redis } from 'ioredis';
import { type MemberFacts, type PolicyRecord, AccountsRepository } from '../accounts/accounts.repository';
import { ApplicationCredentialsRepository } from '../application-credentials/application-credentials.repository';
import { dropCredentialKeys } from '../application-credentials/credential-keys';
import { passkeyDeadline, twoFactorDeadline } from './two-factor-deadline';
import { TwoFactorReminders } from './two-factor-reminders';

type Actor = { memberId: string; accountId: string };

/** Without 2FA a member keeps a full session until its deadline, then may only enrol. */
@Injectable()
export class PolicyService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly reminders: TwoFactorReminders,
    private readonly events: SecurityEventPublisher,
    private readonly clock: Clock,
    private readonly credentials: ApplicationCredentialsRepository,
    private readonly redis: Redis,
  ) {}

  async ofMember(memberId: string): Promise<MemberPolicy> {
    const facts = await this.accounts.deadlineFactsOf(memberId);
    const stored = facts ? await this.accounts.policyOf(facts.view.account.id) : undefined;
    if (!facts || !stored) throw new DomainError('not_found', 'No such member.');
    return {
      ...stored.policy,
      twoFactorDeadline: this.deadlineOf(stored, facts)?.toISOString() ?? null,
      passkeyDeadline:
        facts.kind === 'customer'
          ? (passkeyDeadline(
              { ...stored.policy, since: stored.phishingResistantSince },
              { roles: facts.view.user.roles, createdAt: facts.createdAt },
              this.reminders.dayMs,
            )?.toISOString() ?? null)
          : null,
    };
  }

  async get(actor: Actor): Promise<AccountPolicy> {
    await this.manager(actor);
    return (await this.accounts.policyOf(actor.accountId))!.policy;
  }

  async update(actor: Actor, update: AccountPolicyUpdate, meta: RequestMeta | null): Promise<AccountPolicy> {
    await this.manager(actor);
    const before = (await this.accounts.policyOf(actor.accountId))!;
    const after = { ...before.policy, ...update };
    const turnedOn = after.requireTwoFactor && !before.policy.requireTwoFactor;
    const requiredSince = after.requireTwoFactor
      ? turnedOn
        ? this.clock.now()
        : before.requiredSince
      : null;
    const phishingChanged =
      JSON.stringify(before.policy.phishingResistantFor) !== JSON.stringify(after.phishingResistantFor);
    const phishingResistantSince = phishingChanged
      ? after.phishingResistantFor.length > 0
        ? this.clock.now()
        : null
      : before.phishingResistantSince;
    const keys = (Object.keys(after) as (keyof AccountPolicy)[]).filter(
      (key) => JSON.stringify(before.policy[key]) !== JSON.stringify(after[key]),
    );
    const changed = Object.fromEntries(keys.map((key) => [key, after[key]]));
    await this.accounts.transaction(async (tx) => {
      await this.accounts.setPolicy(
        actor.accountId,
        { ...update, requiredSince, phishingResistantSince },
        tx,
      );
      if (Object.keys(changed).length > 0) {
        await this.events.emit(
          {
            type: 'policy.changed',
            accountId: actor.accountId,
            actorId: actor.memberId,
            subjectId: null,
            details: { ...changed, before: Object.fromEntries(keys.map((key) => [key, before.policy[key]])) },
          },
          meta,
          tx,
        );
      }
    });
    const members = await this.accounts.deadlineFactsOfAccount(actor.accountId);
    // Published even when nothing changed: a retried PUT publishes what a failed one did not.
    await this.publishDeadlines(members.map((facts) => facts.view.user.id));
    if (Object.keys(changed).length === 0) return after;
    if (after.requireTwoFactor && (turnedOn || before.policy.gracePeriodDays !== after.gracePeriodDays)) {
      const stored = { policy: after, requiredSince, phishingResistantSince };
      for (const facts of members) await this.remind(stored, facts, turnedOn);
    }
    return after;
  }

  async memberJoined(memberId: string): Promise<void> {
    await this.publishDeadlines([memberId]);
    const facts = await this.accounts.deadlineFactsOf(memberId);
    const stored = facts ? await this.accounts.policyOf(facts.view.account.id) : undefined;
    if (facts && stored?.policy.requireTwoFactor) await this.remind(stored, facts, true);
  }

  /** Under each member's lock, so that of two publications the later one reads the later state. */
  async publishDeadlines(memberIds: readonly string[]): Promise<void> {
    for (const memberId of memberIds) {
      await this.accounts.transaction(async (tx) => {
        const key = memberDeadlineKey(memberId);
        if (!(await this.accounts.lockMembers([memberId], tx))) {
          await this.redis.del(key).catch(() => undefined);
          return;
        }
        const facts = await this.accounts.deadlineFactsOf(memberId);
        const stored = facts ? await this.accounts.policyOf(facts.view.account.id) : undefined;
        const deadline = facts && stored ? this.deadlineOf(stored, facts) : null;
        await orUnavailable(() => this.redis.set(key, deadline?.toISOString() ?? ''), 'This change');
      });
    }
  }

  async memberEnrolled(memberId: string): Promise<void> {
    const facts = await this.accounts.deadlineFactsOf(memberId);
    const stored = facts ? await this.accounts.policyOf(facts.view.account.id) : undefined;
    const deadline = facts && stored ? this.deadlineOf(stored, facts) : null;
    if (facts && deadline) await this.reminders.cancel(facts.view.user.id, deadline);
  }

  /** Deadlines only: account-service does not know who has 2FA. */
  async compliance(actor: Actor): Promise<{
    policy: AccountPolicy;
    members: { user: MemberFacts['view']['user']; exempt: boolean; deadline: string | null }[];
  }> {
    await this.manager(actor);
    const stored = (await this.accounts.policyOf(actor.accountId))!;
    return {
      policy: stored.policy,
      members: (await this.accounts.deadlineFactsOfAccount(actor.accountId)).map((facts) => ({
        user: facts.view.user,
        exempt: isOpsOnly(facts.view.user.roles),
        deadline: this.deadlineOf(stored, facts)?.toISOString() ?? null,
      })),
    };
  }

  /** A reset says the account may be in other hands: the credentials made by then end. Idempotent. */
  async noteTwoFactorReset(memberId: string, at = this.clock.now()): Promise<{ noted: true }> {
    const ended = await this.accounts.transaction(async (tx) => {
      if (!(await this.accounts.lockMembers([memberId], tx)))
        throw new DomainError('not_found', 'No such member.');
      await this.accounts.noteTwoFactorReset(memberId, at, tx);
      return this.credentials.deleteAllOf(memberId, tx, { madeBy: at });
    });
    await dropCredentialKeys(this.redis, memberId, ended);
    await this.publishDeadlines([memberId]);
    return { noted: true };
  }

  private deadlineOf(stored: PolicyRecord, facts: MemberFacts): Date | null {
    if (facts.kind !== 'customer') return null;
    return twoFactorDeadline(
      { ...stored.policy, requiredSince: stored.requiredSince },
      { roles: facts.view.user.roles, createdAt: facts.createdAt, twoFactorResetAt: facts.twoFactorResetAt },
      this.reminders.dayMs,
    );
  }

  private async remind(stored: PolicyRecord, facts: MemberFacts, started: boolean): Promise<void> {
    const deadline = this.deadlineOf(stored, facts);
    if (deadline) {
      await this.reminders.schedule(
        { memberId: facts.view.user.id, accountId: facts.view.account.id },
        deadline,
        started,
      );
    }
  }

  private async manager(actor: Actor): Promise<void> {
    if (!(await this.accounts.findManager(actor))) {
      throw new DomainError('forbidden', 'Only an owner or an admin can manage the account policy.');
    }
  }
}
