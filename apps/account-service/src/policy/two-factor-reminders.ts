import { createHash } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import {
  TWO_FACTOR_REMINDER_JOB,
  TWO_FACTOR_REMINDERS_QUEUE,
  type TwoFactorReminder,
} from '@twofold/contracts';
import { Clock } from '@twofold/platform';
import { type JobsOptions, Queue } from 'bullmq';
import { ACCOUNT_CONFIG, type AccountConfig } from '../config/account-config';
import { type ReminderKind, remindersOf } from './two-factor-deadline';

const REMINDER_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  // Kept after they ran, so that the same reminder is never scheduled twice (its id is taken).
  removeOnComplete: { age: 120 * 24 * 3600 },
  removeOnFail: false,
};

/** A reminder's job id: one per member, kind and deadline (BullMQ refuses ':' in ids). */
const jobIdOf = (memberId: string, kind: ReminderKind, deadline: Date): string =>
  `${memberId}.${kind}.${deadline.getTime()}`;

/** The id of the security event a reminder becomes: the same on every run of its job. */
export function reminderEventId(jobId: string): string {
  const hex = createHash('sha256').update(`two-factor-reminder:${jobId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Scheduled once (by job id) and checked again when due: 2FA may be on, or the deadline moved, by then. */
@Injectable()
export class TwoFactorReminders {
  constructor(
    @InjectQueue(TWO_FACTOR_REMINDERS_QUEUE) private readonly queue: Queue<TwoFactorReminder>,
    private readonly clock: Clock,
    @Inject(ACCOUNT_CONFIG) private readonly config: Pick<AccountConfig, 'GRACE_PERIOD_DAY_SECONDS'>,
  ) {}

  get dayMs(): number {
    return this.config.GRACE_PERIOD_DAY_SECONDS * 1000;
  }

  /** `started`: the policy starts for the member now. */
  async schedule(
    member: { memberId: string; accountId: string },
    deadline: Date,
    started: boolean,
  ): Promise<void> {
    const now = this.clock.now();
    await this.queue.addBulk(
      remindersOf(deadline, now, this.dayMs, started).map(({ kind, at }) => ({
        name: TWO_FACTOR_REMINDER_JOB,
        data: { ...member, kind, deadline: deadline.getTime() },
        opts: {
          ...REMINDER_JOB_OPTIONS,
          jobId: jobIdOf(member.memberId, kind, deadline),
          delay: Math.max(0, at.getTime() - now.getTime()),
        },
      })),
    );
  }

  async cancel(memberId: string, deadline: Date): Promise<void> {
    for (const kind of ['policy_started', 'week_before', 'day_before'] as const) {
      await this.queue.remove(jobIdOf(memberId, kind, deadline));
    }
  }
}
