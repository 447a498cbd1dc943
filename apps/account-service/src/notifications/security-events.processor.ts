import { Inject } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import {
  DEFAULT_LANGUAGE,
  DomainError,
  type Language,
  SECURITY_EVENTS_QUEUE,
  type SecurityEvent,
  parseSecurityEvent,
} from '@twofold/contracts';
import { Clock } from '@twofold/platform';
import { type Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { AccountsRepository, type MemberCredentials, type Recipient } from '../accounts/accounts.repository';
import { AuditRepository } from '../audit/audit.repository';
import { ACCOUNT_CONFIG, type AccountConfig } from '../config/account-config';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { PolicyService } from '../policy/policy.service';
import { Mailer } from './mail/mailer';
import { isMailed, MAIL_LINK, type MailContext, securityMail } from './mail/security-mail';
import { SecurityEventsWebhook } from './webhook/security-events-webhook';

/** Where the web app opens each kind of link (the token in the fragment never reaches a server log). */
const LINK_ROUTE = {
  password_reset: 'password-reset',
  not_me: 'not-me',
  two_factor_resync: 'resync',
  email_verification: 'verify-email',
  invitation: 'invitation',
} as const;

/** The audit entry and the e-mails are idempotent by event id, so a retried or duplicated job adds nothing. */
@Processor(SECURITY_EVENTS_QUEUE, { concurrency: 8 })
export class SecurityEventsProcessor extends WorkerHost {
  constructor(
    private readonly audit: AuditRepository,
    private readonly accounts: AccountsRepository,
    private readonly links: LinkTokensRepository,
    private readonly policy: PolicyService,
    private readonly mailer: Mailer,
    private readonly webhook: SecurityEventsWebhook,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
    @Inject(ACCOUNT_CONFIG)
    private readonly config: Pick<
      AccountConfig,
      | 'PUBLIC_URL'
      | 'PASSWORD_RESET_LINK_TTL_SECONDS'
      | 'NOT_ME_LINK_TTL_SECONDS'
      | 'RESYNC_LINK_TTL_SECONDS'
      | 'EMAIL_VERIFICATION_LINK_TTL_SECONDS'
      | 'INVITATION_TTL_SECONDS'
    >,
  ) {
    super();
    this.logger.setContext(SecurityEventsProcessor.name);
  }

  async process(job: Job<unknown>): Promise<{ recorded: boolean; mailed: boolean }> {
    const event = parseSecurityEvent(job.data);
    const recorded = await this.audit.recordOnce(event);
    await this.webhook.forward([event]);
    await this.followUp(event);
    const mailed = await this.notify(event);
    this.logger.info(
      { eventId: event.eventId, type: event.type, reqId: event.requestId, recorded, mailed },
      'Security event processed',
    );
    return { recorded, mailed };
  }

  private async followUp(event: SecurityEvent): Promise<void> {
    if (!event.subjectId) return;
    if (
      event.type === 'two_factor.enabled' ||
      (event.type === 'passkey.added' && event.details.twoFactorEnabled)
    )
      await this.policy.memberEnrolled(event.subjectId);
    if (event.type === 'two_factor.reset') {
      await this.policy
        .noteTwoFactorReset(event.subjectId, new Date(event.occurredAt))
        .catch((error: unknown) => {
          // The member was removed since: nothing of theirs is left to end.
          if (!(error instanceof DomainError && error.code === 'not_found')) throw error;
        });
    }
  }

  /** Redis trouble, in the service's structured log (BullMQ would print it to the console). */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, 'The security-events worker cannot reach Redis; it retries');
  }

  private async othersToTell(event: SecurityEvent): Promise<Recipient[]> {
    if (event.type === 'security.not_me_reported') {
      return (await this.accounts.managersOf(event.accountId)).filter((m) => m.id !== event.subjectId);
    }
    if (!('byOperator' in event.details && event.details.byOperator)) return [];
    const owner = await this.accounts.ownerOf(event.accountId);
    return owner && owner.id !== event.subjectId ? [owner] : [];
  }

  /** An invitation is in the inviting admin's language; a removed member's event carries its own. */
  private async languageOf(event: SecurityEvent, member: MemberCredentials | undefined): Promise<Language> {
    if (event.type === 'member.removed') return event.details.language ?? DEFAULT_LANGUAGE;
    const inviter =
      event.type === 'member.invited' && event.actorId
        ? await this.accounts.languageOf(event.actorId)
        : undefined;
    return inviter ?? member?.language ?? DEFAULT_LANGUAGE;
  }

  /** A link that gives a way in goes only to a proved address; one that can only take access away, anywhere. */
  private async linkFor(
    event: SecurityEvent,
    member: MemberCredentials,
    to: string,
  ): Promise<MailContext['link']> {
    const purpose = MAIL_LINK[event.type];
    if (!purpose) return undefined;
    const givesAWayIn = purpose === 'password_reset' || purpose === 'two_factor_resync';
    if (givesAWayIn && !(member.emailVerified && to === member.view.user.email)) return undefined;
    const ttlSeconds = {
      password_reset: this.config.PASSWORD_RESET_LINK_TTL_SECONDS,
      not_me: this.config.NOT_ME_LINK_TTL_SECONDS,
      two_factor_resync: this.config.RESYNC_LINK_TTL_SECONDS,
      email_verification: this.config.EMAIL_VERIFICATION_LINK_TTL_SECONDS,
      invitation: this.config.INVITATION_TTL_SECONDS,
    }[purpose];
    const token = await this.links.issue({
      memberId: member.view.user.id,
      purpose,
      eventId: event.eventId,
      now: this.clock.now(),
      ttlSeconds,
      ...(purpose === 'email_verification' || purpose === 'invitation' ? { address: to } : {}),
    });
    return token
      ? {
          url: `${this.config.PUBLIC_URL}/#/${LINK_ROUTE[purpose]}?token=${token}`,
          validMinutes: Math.round(ttlSeconds / 60),
        }
      : undefined;
  }

  private async notify(event: SecurityEvent): Promise<boolean> {
    if (!event.subjectId || !isMailed(event.type) || (await this.audit.wasNotified(event.eventId)))
      return false;
    const found = await this.accounts.findCredentialsById(event.subjectId);
    const member = found?.view;
    // A removed member is gone from the table: its event carries where to write.
    const gone = event.type === 'member.removed' ? event.details : undefined;
    const to = addressOf(event) ?? member?.user.email;
    const login = member?.user.login ?? gone?.login ?? '';
    const accountName = member?.account.name ?? gone?.accountName ?? '';
    if (!to) return false;
    const language = await this.languageOf(event, found);
    // The platform's service users are the operator's: no reset, no "this wasn't me" of their own.
    const link = found?.kind === 'customer' ? await this.linkFor(event, found, to) : undefined;
    const mail = securityMail(event, { login, accountName, language, ...(link ? { link } : {}) })!;
    await this.mailer.send(to, mail, `${event.eventId}@twofold.security-events`);
    for (const other of await this.othersToTell(event)) {
      const copy = securityMail(event, {
        login,
        accountName,
        language: other.language,
        copyTo: other.login,
      })!;
      await this.mailer.send(other.email, copy, `${event.eventId}.${other.id}@twofold.security-events`);
    }
    await this.audit.markNotified(event.eventId, this.clock.now());
    return true;
  }
}

function addressOf(event: SecurityEvent): string | undefined {
  return event.type === 'member.removed' ||
    event.type === 'email.change_requested' ||
    event.type === 'email.changed'
    ? event.details.email
    : undefined;
}
