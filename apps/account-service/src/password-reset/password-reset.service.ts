import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@twofold/contracts';
import { Clock, orUnavailable, type RequestMeta, SecurityEventPublisher } from '@twofold/platform';
import { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { attemptSubject } from '../accounts/accounts.service';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MemberChanges } from '../accounts/member-changes';
import { ACCOUNT_CONFIG, type AccountConfig } from '../config/account-config';
import { ApplicationCredentialsRepository } from '../application-credentials/application-credentials.repository';
import { dropCredentialKeys } from '../application-credentials/credential-keys';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';

const COUNT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
`;
const WINDOW_SECONDS = 3600;

interface ResetRedis extends Redis {
  passwordResetCount(key: string, windowSeconds: number): Promise<number>;
}

export const linkInvalid = (): DomainError =>
  new DomainError(
    'link_invalid',
    'This link is not valid: it was already used, it expired, or a newer password replaced it. Ask for a new one.',
  );

@Injectable()
export class PasswordResetService {
  private readonly redis: ResetRedis;

  constructor(
    redis: Redis,
    private readonly accounts: AccountsRepository,
    private readonly links: LinkTokensRepository,
    private readonly passwords: PasswordHasher,
    private readonly attempts: PasswordAttempts,
    private readonly changes: MemberChanges,
    private readonly credentials: ApplicationCredentialsRepository,
    private readonly events: SecurityEventPublisher,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
    @Inject(ACCOUNT_CONFIG)
    private readonly config: Pick<AccountConfig, 'PASSWORD_RESET_EMAILS_PER_HOUR'>,
  ) {
    redis.defineCommand('passwordResetCount', { numberOfKeys: 1, lua: COUNT_SCRIPT });
    this.redis = redis as ResetRedis;
    this.logger.setContext(PasswordResetService.name);
  }

  /** The lookup and e-mail come afterwards, so neither the answer nor its timing tells a known login from another. */
  async request(login: string, meta: RequestMeta | null): Promise<{ accepted: true }> {
    const subject = attemptSubject(login);
    const count = await orUnavailable(
      () => this.redis.passwordResetCount(`password-reset:{${subject}}`, WINDOW_SECONDS),
      'Password reset',
    );
    if (count <= this.config.PASSWORD_RESET_EMAILS_PER_HOUR) {
      setImmediate(() => {
        this.sendLink(subject, meta).catch((error: unknown) =>
          this.logger.error({ err: error }, 'Could not start a password reset e-mail'),
        );
      });
    }
    return { accepted: true };
  }

  /** A link that sets the password goes only to an address the member proved. */
  private async sendLink(login: string, meta: RequestMeta | null): Promise<void> {
    const found = await this.accounts.findByLogin(login);
    if (!found || found.kind !== 'customer' || !found.emailVerified) return;
    await this.events.emit(
      {
        type: 'password_reset.requested',
        accountId: found.view.account.id,
        actorId: null,
        subjectId: found.view.user.id,
        details: {},
      },
      meta,
    );
  }

  async check(token: string): Promise<{ memberId: string }> {
    const link = await this.links.find('password_reset', token, this.clock.now());
    if (!link) throw linkInvalid();
    return { memberId: link.memberId };
  }

  async complete(token: string, newPassword: string, meta: RequestMeta | null): Promise<{ changed: true }> {
    const { memberId } = await this.check(token);
    const member = await this.accounts.findMember(memberId);
    if (!member) throw linkInvalid();
    const passwordHash = await this.passwords.hash(newPassword);
    const now = this.clock.now();
    const { result } = await this.changes.change([memberId], (outer) =>
      this.links.use(
        'password_reset',
        token,
        now,
        async (link, tx) => {
          // Checked and used by the same token: it cannot name someone else in between.
          if (link.memberId !== memberId) throw linkInvalid();
          await this.accounts.setPasswordHash(memberId, passwordHash, now, tx);
          // The "this wasn't me" links of e-mails before it would stop the password just chosen.
          await this.links.spendAll(memberId, 'not_me', now, tx);
          // A reset by link says the old password may be known: what it made ends too.
          const credentials = await this.credentials.deleteAllOf(memberId, tx);
          await this.events.emit(
            {
              type: 'password_reset.completed',
              accountId: member.account.id,
              actorId: memberId,
              subjectId: memberId,
              details: {
                linkEventId: link.eventId,
                ...(credentials.length > 0 ? { applicationCredentialsEnded: credentials.length } : {}),
              },
            },
            meta,
            tx,
          );
          return { link, credentials };
        },
        outer,
      ),
    );
    if (!result) throw linkInvalid();
    await dropCredentialKeys(this.redis, memberId, result.credentials);
    if (await this.attempts.clear(attemptSubject(member.user.login))) {
      await this.events.emit(
        {
          type: 'sign_in.unlocked',
          accountId: member.account.id,
          actorId: memberId,
          subjectId: memberId,
          details: { byPasswordReset: true },
        },
        meta,
      );
    }
    return { changed: true };
  }
}
