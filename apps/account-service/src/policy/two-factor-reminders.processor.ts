import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { OtpRpc, TWO_FACTOR_REMINDERS_QUEUE, twoFactorReminderSchema } from '@twofold/contracts';
import { Clock, RpcClient, SecurityEventPublisher } from '@twofold/platform';
import { type Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { AccountsRepository } from '../accounts/accounts.repository';
import { daysLeft, twoFactorDeadline } from './two-factor-deadline';
import { reminderEventId, TwoFactorReminders } from './two-factor-reminders';

/** Sent only if it still stands; its event id comes from the job's, so a job run twice mails once. */
@Processor(TWO_FACTOR_REMINDERS_QUEUE, { concurrency: 4 })
export class TwoFactorRemindersProcessor extends WorkerHost {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly reminders: TwoFactorReminders,
    private readonly rpc: RpcClient,
    private readonly events: SecurityEventPublisher,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    super();
    this.logger.setContext(TwoFactorRemindersProcessor.name);
  }

  async process(job: Job<unknown>): Promise<{ sent: boolean }> {
    const reminder = twoFactorReminderSchema.parse(job.data);
    const facts = await this.accounts.deadlineFactsOf(reminder.memberId);
    const stored = facts ? await this.accounts.policyOf(facts.view.account.id) : undefined;
    const deadline =
      facts && stored
        ? twoFactorDeadline(
            { ...stored.policy, requiredSince: stored.requiredSince },
            {
              roles: facts.view.user.roles,
              createdAt: facts.createdAt,
              twoFactorResetAt: facts.twoFactorResetAt,
            },
            this.reminders.dayMs,
          )
        : null;
    if (!facts || deadline?.getTime() !== reminder.deadline) return { sent: false };
    const { enabled } = await this.rpc.call(OtpRpc.status, { memberId: reminder.memberId });
    if (enabled) return { sent: false };
    await this.events.publish(
      {
        eventId: reminderEventId(job.id ?? `${reminder.memberId}.${reminder.kind}.${reminder.deadline}`),
        type: 'two_factor.reminder',
        accountId: facts.view.account.id,
        actorId: null,
        subjectId: reminder.memberId,
        details: {
          kind: reminder.kind,
          deadline: deadline.toISOString(),
          daysLeft: daysLeft(deadline, this.clock.now(), this.reminders.dayMs),
        },
      },
      null,
    );
    this.logger.info({ memberId: reminder.memberId, kind: reminder.kind }, '2FA reminder sent');
    return { sent: true };
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, 'The 2FA reminders worker cannot reach Redis; it retries');
  }
}
