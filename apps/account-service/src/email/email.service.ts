import { Injectable } from '@nestjs/common';
import { type AccountRpc, DomainError, type RpcRequest, type RpcResponse } from '@twofold/contracts';
import { Clock, type RequestMeta, SecurityEventPublisher } from '@twofold/platform';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AccountsService } from '../accounts/accounts.service';
import { MemberChanges } from '../accounts/member-changes';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { linkInvalid } from '../password-reset/password-reset.service';

/** A new address takes effect once proven; the old one is told, with a not-me link that takes the change back. */
@Injectable()
export class EmailService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly passwords: AccountsService,
    private readonly changes: MemberChanges,
    private readonly links: LinkTokensRepository,
    private readonly events: SecurityEventPublisher,
    private readonly clock: Clock,
  ) {}

  async of(memberId: string): Promise<RpcResponse<typeof AccountRpc.emailOf>> {
    const email = await this.accounts.emailOf(memberId);
    if (!email) throw new DomainError('not_found', 'No such member.');
    return email;
  }

  /** The current address again re-sends the link of a still unproven one. */
  async requestChange(
    request: RpcRequest<typeof AccountRpc.requestEmailChange>,
    meta: RequestMeta | null,
  ): Promise<RpcResponse<typeof AccountRpc.requestEmailChange>> {
    const { user, account } = await this.passwords.verifyMemberPassword(
      { memberId: request.memberId, password: request.password },
      meta,
    );
    const current = await this.of(user.id);
    const same = request.email.toLowerCase() === current.address.toLowerCase();
    if (same && current.verified) {
      throw new DomainError('validation_failed', 'Invalid request: email: is your address already', {
        details: [{ path: 'email', message: 'is your address already' }],
      });
    }
    await this.changes.make({ id: user.id, stamp: request.grant.stamp }, async (tx) => {
      await this.accounts.setPendingEmail(user.id, same ? null : request.email, tx);
      await this.events.emit(
        {
          type: 'email.change_requested',
          accountId: account.id,
          actorId: user.id,
          subjectId: user.id,
          details: { email: request.email },
        },
        meta,
        tx,
      );
    });
    return { pendingEmail: request.email };
  }

  async verify(token: string, meta: RequestMeta | null): Promise<RpcResponse<typeof AccountRpc.verifyEmail>> {
    const now = this.clock.now();
    const link = await this.links.find('email_verification', token, now);
    const member = link ? await this.accounts.findMember(link.memberId) : undefined;
    if (!link?.address || !member) throw linkInvalid();
    const address = link.address;
    // confirmEmail locks the member's row: ordered against every other change of the member.
    const confirmed = await this.links.use('email_verification', token, now, async (used, tx) => {
      if (used.memberId !== member.user.id) throw linkInvalid();
      const done = await this.accounts.confirmEmail(member.user.id, address, now, tx);
      if (!done) throw linkInvalid();
      const changed = done.changedFrom;
      await this.events.emit(
        {
          type: changed === undefined ? 'email.verified' : 'email.changed',
          accountId: member.account.id,
          actorId: member.user.id,
          subjectId: member.user.id,
          details: changed === undefined ? { address } : { email: changed, from: changed, to: address },
        },
        meta,
        tx,
      );
      return true;
    });
    if (!confirmed) throw linkInvalid();
    return { email: address };
  }
}
