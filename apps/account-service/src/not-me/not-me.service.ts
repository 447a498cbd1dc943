import { Injectable } from '@nestjs/common';
import { OtpRpc, SECURITY_EVENTS } from '@twofold/contracts';
import { Clock, type RequestMeta, RpcClient, SecurityEventPublisher } from '@twofold/platform';
import { Redis } from 'ioredis';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MemberChanges } from '../accounts/member-changes';
import { ApplicationCredentialsRepository } from '../application-credentials/application-credentials.repository';
import { AuditRepository } from '../audit/audit.repository';
import { dropCredentialKeys } from '../application-credentials/credential-keys';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { linkInvalid } from '../password-reset/password-reset.service';

/** An authenticator's enabled time is taken a moment before the event that reports it. */
const CLOCKS_APART_MS = 1000;
const AUTHENTICATOR_TURNED_ON = new Set(['two_factor.enabled', 'two_factor.replaced', 'passkey.added']);

/**
 * Locks out whoever holds the member's password, and removes an authenticator turned on since the reported
 * e-mail: else an intruder's own phone would be the second factor the member's password reset asks for.
 */
@Injectable()
export class NotMeService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly links: LinkTokensRepository,
    private readonly credentials: ApplicationCredentialsRepository,
    private readonly audit: AuditRepository,
    private readonly changes: MemberChanges,
    private readonly events: SecurityEventPublisher,
    private readonly redis: Redis,
    private readonly rpc: RpcClient,
    private readonly clock: Clock,
  ) {}

  async report(token: string, meta: RequestMeta | null): Promise<{ login: string }> {
    const now = this.clock.now();
    const link = await this.links.find('not_me', token, now);
    const member = link ? await this.accounts.findMember(link.memberId) : undefined;
    if (!link || !member) throw linkInvalid();
    const memberId = member.user.id;
    const reported = await this.audit.find(link.eventId);
    // Before the change that records it: the removal is told in its event.
    const twoFactorRemoved = reported
      ? (
          await this.rpc.call(
            OtpRpc.revertTwoFactor,
            {
              memberId,
              since: new Date(
                reported.occurredAt.getTime() -
                  (AUTHENTICATOR_TURNED_ON.has(reported.type) ? CLOCKS_APART_MS : 0),
              ).toISOString(),
              until: now.toISOString(),
            },
            { meta },
          )
        ).removed
      : false;
    const { result } = await this.changes.change([memberId], (outer) =>
      this.links.use(
        'not_me',
        token,
        now,
        async (used, tx) => {
          if (used.memberId !== memberId) throw linkInvalid();
          await this.accounts.stopPasswordSignIn(memberId, now, tx);
          // A change of address it reported goes back: the old address is the member's.
          const change =
            reported?.type === 'email.changed'
              ? SECURITY_EVENTS['email.changed'].details.safeParse(reported.details)
              : undefined;
          const emailReverted = change?.success
            ? await this.accounts.revertEmail(
                memberId,
                { from: change.data.from, to: change.data.to },
                now,
                tx,
              )
            : false;
          await this.links.spendAll(memberId, 'not_me', now, tx);
          await this.links.spendAll(memberId, 'password_reset', now, tx);
          await this.links.spendAll(memberId, 'two_factor_resync', now, tx);
          const credentials = await this.credentials.deleteAllOf(memberId, tx);
          await this.events.emit(
            {
              type: 'security.not_me_reported',
              accountId: member.account.id,
              actorId: memberId,
              subjectId: memberId,
              details: {
                reportedEventId: used.eventId,
                reportedEventType: reported?.type ?? null,
                applicationCredentialsDeleted: credentials.length,
                twoFactorRemoved,
                emailReverted,
              },
            },
            meta,
            tx,
          );
          return { credentials };
        },
        outer,
      ),
    );
    if (!result) throw linkInvalid();
    // Their tokens ended with the stamp; the keys they lived by go too.
    await dropCredentialKeys(this.redis, memberId, result.credentials);
    return { login: member.user.login };
  }
}
