import { Injectable } from '@nestjs/common';
import { DomainError } from '@twofold/contracts';
import { type RequestMeta, SecurityEventPublisher } from '@twofold/platform';
import { AccountsRepository } from '../accounts/accounts.repository';

/** What the gateway saw of a member's sessions that the member should hear of, or the audit log keep. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly events: SecurityEventPublisher,
  ) {}

  /** A sign-in from a device new to the member: e-mailed (with "this wasn't me") unless the account turned that off. */
  async newDevice(
    request: { memberId: string; device: string; via: 'web' | 'api' | 'keystone' },
    meta: RequestMeta | null,
  ): Promise<{ notified: boolean }> {
    const member = await this.accounts.findMember(request.memberId);
    const stored = member ? await this.accounts.policyOf(member.account.id) : undefined;
    if (!member || !stored?.policy.notifyNewDevice) return { notified: false };
    await this.events.emit(
      {
        type: 'sign_in.new_device',
        accountId: member.account.id,
        actorId: member.user.id,
        subjectId: member.user.id,
        details: { device: request.device, via: request.via },
      },
      meta,
    );
    return { notified: true };
  }

  /** The member ended one of its sessions from the sessions list. */
  async ended(
    request: { memberId: string; sessionId: string; device: string },
    meta: RequestMeta | null,
  ): Promise<{ recorded: true }> {
    const member = await this.accounts.findMember(request.memberId);
    if (!member) throw new DomainError('not_found', 'No such member.');
    await this.events.emit(
      {
        type: 'session.ended',
        accountId: member.account.id,
        actorId: member.user.id,
        subjectId: member.user.id,
        details: { sessionId: request.sessionId, device: request.device },
      },
      meta,
    );
    return { recorded: true };
  }
}
