import { Injectable } from '@nestjs/common';
import { type AccountRpc, type RpcRequest, type RpcResponse } from '@twofold/contracts';
import { Clock, type RequestMeta, SecurityEventPublisher } from '@twofold/platform';
import { AccountsRepository } from '../accounts/accounts.repository';
import { attemptSubject } from '../accounts/accounts.service';
import { chosenLanguage } from '../language/chosen-language';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { linkInvalid } from '../password-reset/password-reset.service';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';

/**
 * An invited member joins: on its invitation's page it chooses its own password — nobody else
 * ever knew one — which also proves its address. The link works once, within the invitation.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly links: LinkTokensRepository,
    private readonly passwords: PasswordHasher,
    private readonly attempts: PasswordAttempts,
    private readonly events: SecurityEventPublisher,
    private readonly clock: Clock,
  ) {}

  async accept(
    request: RpcRequest<typeof AccountRpc.acceptInvitation>,
    meta: RequestMeta | null,
  ): Promise<RpcResponse<typeof AccountRpc.acceptInvitation>> {
    const now = this.clock.now();
    const link = await this.links.find('invitation', request.token, now);
    const member = link ? await this.accounts.findMember(link.memberId) : undefined;
    if (!link?.address || !member) throw linkInvalid();
    const address = link.address;
    const passwordHash = await this.passwords.hash(request.password);
    // Said nothing: the language the inviting admin gave it stays.
    const language = chosenLanguage(request.language, meta);
    const joined = await this.links.use('invitation', request.token, now, async (used, tx) => {
      if (used.memberId !== member.user.id) throw linkInvalid();
      if (
        !(await this.accounts.acceptInvitation(
          member.user.id,
          { passwordHash, address, at: now, ...(language ? { language } : {}) },
          tx,
        ))
      ) {
        throw linkInvalid();
      }
      await this.events.emit(
        {
          type: 'member.joined',
          accountId: member.account.id,
          actorId: member.user.id,
          subjectId: member.user.id,
          details: { login: member.user.login },
        },
        meta,
        tx,
      );
      return true;
    });
    if (!joined) throw linkInvalid();
    await this.attempts.clear(attemptSubject(member.user.login)).catch(() => undefined);
    return { login: member.user.login };
  }
}
