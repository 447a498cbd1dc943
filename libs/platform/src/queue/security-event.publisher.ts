import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import {
  SECURITY_EVENT_JOB,
  SECURITY_EVENTS_QUEUE,
  type SecurityEvent,
  securityEventSchema,
} from '@twofold/contracts';
import { Queue } from 'bullmq';
import { currentRequestMeta } from '../logging/request-context';

/** What a producer states; id, time and the request's meta (IP, user agent) are filled in. */
export type NewSecurityEvent = Omit<
  SecurityEvent,
  'eventId' | 'occurredAt' | 'requestId' | 'ip' | 'userAgent'
> &
  Partial<Pick<SecurityEvent, 'eventId' | 'occurredAt'>>;

/** Retries with exponential back-off; failed jobs are kept for operators to inspect. */
export const SECURITY_EVENT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10000 },
  removeOnFail: false,
} as const;

/** Puts security facts on the durable `security-events` queue, one job per event id. */
@Injectable()
export class SecurityEventPublisher {
  private readonly logger = new Logger(SecurityEventPublisher.name);

  constructor(@InjectQueue(SECURITY_EVENTS_QUEUE) private readonly queue: Queue) {}

  /**
   * Publishes after the change it reports has happened. The change stands either way, so a
   * queue failure is logged loudly instead of failing the caller's request.
   */
  async emit(event: NewSecurityEvent): Promise<void> {
    try {
      await this.publish(event);
    } catch (error) {
      this.logger.error(
        { err: error, type: event.type, accountId: event.accountId },
        'Could not enqueue a security event',
      );
    }
  }

  async publish(event: NewSecurityEvent): Promise<SecurityEvent> {
    const meta = currentRequestMeta();
    const full = securityEventSchema.parse({
      ...event,
      eventId: event.eventId ?? randomUUID(),
      occurredAt: event.occurredAt ?? new Date().toISOString(),
      requestId: meta?.requestId ?? null,
      ip: meta?.ip ?? null,
      userAgent: meta?.userAgent?.slice(0, 512) ?? null,
    });
    // The event id is the job id: adding the same event twice leaves one job.
    await this.queue.add(SECURITY_EVENT_JOB, full, { ...SECURITY_EVENT_JOB_OPTIONS, jobId: full.eventId });
    return full;
  }
}
