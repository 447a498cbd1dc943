import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { SECURITY_EVENTS_QUEUE, type SecurityEvent, securityEventSchema } from '@twofold/contracts';
import { Clock } from '@twofold/platform';
import { type Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditRepository } from '../audit/audit.repository';
import { Mailer } from './mail/mailer';
import { securityMail } from './mail/security-mail';

/**
 * Consumes `security-events`: each event becomes one audit entry and, where the event calls
 * for it, one e-mail to the member it concerns (copied to the account's owner when the
 * platform's operator did it). Both are idempotent by event id, so a retried
 * (SMTP down: exponential back-off) or duplicated job adds nothing; a job that exhausts its
 * retries stays in the queue's failed set for operators.
 */
@Processor(SECURITY_EVENTS_QUEUE, { concurrency: 8 })
export class SecurityEventsProcessor extends WorkerHost {
  constructor(
    private readonly audit: AuditRepository,
    private readonly accounts: AccountsRepository,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    super();
    this.logger.setContext(SecurityEventsProcessor.name);
  }

  async process(job: Job<unknown>): Promise<{ recorded: boolean; mailed: boolean }> {
    const event = securityEventSchema.parse(job.data);
    const recorded = await this.audit.recordOnce(event);
    const mailed = await this.notify(event);
    this.logger.info(
      { eventId: event.eventId, type: event.type, reqId: event.requestId, recorded, mailed },
      'Security event processed',
    );
    return { recorded, mailed };
  }

  /** Redis trouble, in the service's structured log (BullMQ would print it to the console). */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, 'The security-events worker cannot reach Redis; it retries');
  }

  /** What the platform did to a member (no actor in the account) is told to the account's owner too. */
  private async ownerToTell(event: SecurityEvent): Promise<string | undefined> {
    if (event.details.byOperator !== true) return undefined;
    const owner = await this.accounts.ownerOf(event.accountId);
    return owner && owner.user.id !== event.subjectId ? owner.user.email : undefined;
  }

  private async notify(event: SecurityEvent): Promise<boolean> {
    if (!event.subjectId || (await this.audit.wasNotified(event.eventId))) return false;
    const member = await this.accounts.findMember(event.subjectId);
    // A removed member is gone from the table: the event carries where to write.
    const to = typeof event.details.email === 'string' ? event.details.email : member?.user.email;
    const login = member?.user.login ?? String(event.details.login ?? '');
    const accountName = member?.account.name ?? String(event.details.accountName ?? '');
    const mail = securityMail(event, { login, accountName });
    if (!mail || !to) return false;
    await this.mailer.send(to, mail, event.eventId, await this.ownerToTell(event));
    await this.audit.markNotified(event.eventId, this.clock.now());
    return true;
  }
}
