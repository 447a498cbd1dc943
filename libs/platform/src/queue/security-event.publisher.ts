import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { SECURITY_EVENTS_QUEUE, type SecurityEvent, securityEventSchema } from '@twofold/contracts';
import { Queue } from 'bullmq';
import { currentRequestMeta, type RequestMeta } from '../logging/request-context';
import { enqueueSecurityEvent, SecurityEventOutbox } from './security-event.outbox';

/** What a producer states; id, time and the request's meta (IP, user agent) are filled in. */
export type NewSecurityEvent = Omit<
  SecurityEvent,
  'eventId' | 'occurredAt' | 'requestId' | 'ip' | 'userAgent'
> &
  Partial<Pick<SecurityEvent, 'eventId' | 'occurredAt'>>;

/**
 * Puts security facts on the durable `security-events` queue, one job per event id. When the
 * queue cannot take one (Redis down), the event is kept in the service's outbox table and
 * relayed when Redis is back: an outage delays audit entries and e-mails, it does not lose them.
 */
@Injectable()
export class SecurityEventPublisher implements OnModuleInit {
  private readonly logger = new Logger(SecurityEventPublisher.name);

  constructor(
    @InjectQueue(SECURITY_EVENTS_QUEUE) private readonly queue: Queue,
    private readonly outbox: SecurityEventOutbox,
  ) {}

  onModuleInit(): void {
    // Redis trouble goes to the structured log (BullMQ would print it to the console).
    this.queue.on('error', (error) => {
      this.logger.warn({ err: error }, 'The security-events queue cannot reach Redis');
    });
  }

  /**
   * Publishes after the change it reports has happened. The change stands either way, so a
   * failure to record the event is logged loudly instead of failing the caller's request.
   */
  /**
   * `meta`: the request's, as its RPC handler was given it; by default the implicit request
   * context of a service that keeps one (see RpcServer).
   */
  async emit(event: NewSecurityEvent, meta: RequestMeta | undefined = currentRequestMeta()): Promise<void> {
    const full = completeEvent(event, meta);
    try {
      await enqueueSecurityEvent(this.queue, full);
      return;
    } catch (error) {
      this.logger.warn(
        { err: error, eventId: full.eventId, type: full.type },
        'The queue cannot take a security event: keeping it in the outbox until it can',
      );
    }
    try {
      await this.outbox.keep(full);
    } catch (error) {
      this.logger.error(
        { err: error, eventId: full.eventId, type: full.type, accountId: full.accountId },
        'Could not enqueue nor keep a security event',
      );
    }
  }

  /** Enqueues or throws (tests and tools that must know). */
  async publish(event: NewSecurityEvent, meta = currentRequestMeta()): Promise<SecurityEvent> {
    const full = completeEvent(event, meta);
    await enqueueSecurityEvent(this.queue, full);
    return full;
  }
}

/** The producer's statement, with its id, time and the request's meta (IP, user agent). */
function completeEvent(event: NewSecurityEvent, meta: RequestMeta | undefined): SecurityEvent {
  return securityEventSchema.parse({
    ...event,
    eventId: event.eventId ?? randomUUID(),
    occurredAt: event.occurredAt ?? new Date().toISOString(),
    requestId: meta?.requestId ?? null,
    ip: meta?.ip ?? null,
    userAgent: meta?.userAgent?.slice(0, 512) ?? null,
  });
}
