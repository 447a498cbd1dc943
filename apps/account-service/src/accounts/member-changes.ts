import { Injectable } from '@nestjs/common';
import { DomainError } from '@twofold/contracts';
import { type ChangedMember, SecurityStamps } from '@twofold/platform';
import { type EntityManager } from 'typeorm';
import { AccountsRepository } from './accounts.repository';

const gone = (): DomainError => new DomainError('not_found', 'No such member.');

/**
 * Every change of a member's security state, and every grant made from another, goes through
 * here: the stamp protocol of SecurityStamps around one transaction that first locks the
 * members' rows. Two changes of one member are thereby ordered, and a change that keeps its
 * caller's grant is made only if no other change came first.
 */
@Injectable()
export class MemberChanges {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly stamps: SecurityStamps,
  ) {}

  /** Answers `run`'s result and the stamps kept grants take on (see SecurityStamps.change). */
  change<T>(
    members: readonly (string | ChangedMember)[],
    run: (tx: EntityManager) => Promise<T>,
  ): Promise<{ result: T; kept: Record<string, string> }> {
    const ids = members.map((m) => (typeof m === 'string' ? m : m.id));
    return this.stamps.change(members, (hold) =>
      this.accounts.transaction(async (tx) => {
        if (!(await this.accounts.lockMembers(ids, tx))) throw gone();
        await hold.check();
        return run(tx);
      }),
    );
  }

  /**
   * Makes a grant from the caller's (an application credential from a session): only while the
   * caller's stamp is still the member's, in a transaction ordered against every change of the
   * member — a change that ends such grants either sees this one or refuses it.
   */
  make<T>(member: { id: string; stamp: string }, run: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.accounts.transaction(async (tx) => {
      if (!(await this.accounts.lockMembers([member.id], tx, 'share'))) throw gone();
      await this.stamps.assertCurrent(member.id, member.stamp);
      return run(tx);
    });
  }
}
