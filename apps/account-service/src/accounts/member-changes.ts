import { Injectable } from '@nestjs/common';
import { DomainError } from '@twofold/contracts';
import { type ChangedMember, SecurityStamps } from '@twofold/platform';
import { type EntityManager } from 'typeorm';
import { AccountsRepository } from './accounts.repository';

const gone = (): DomainError => new DomainError('not_found', 'No such member.');

/** Changes lock the members' rows first, so two changes of one member are ordered. */
@Injectable()
export class MemberChanges {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly stamps: SecurityStamps,
  ) {}

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

  /** Only while the caller's stamp is current: a change that ends such grants either sees this one or refuses it. */
  make<T>(member: { id: string; stamp: string }, run: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.accounts.transaction(async (tx) => {
      if (!(await this.accounts.lockMembers([member.id], tx, 'share'))) throw gone();
      await this.stamps.assertCurrent(member.id, member.stamp);
      return run(tx);
    });
  }
}
