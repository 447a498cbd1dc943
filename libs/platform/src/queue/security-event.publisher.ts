import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  parseSecurityEvent,
  type SecurityEvent,
  type SecurityEventOf,
  type SecurityEventType,
} from '@twofold/contracts';
import { type EntityManager } from 'typeorm';
import { currentRequestMeta, type RequestMeta } from '../logging/request-context';
import { SecurityEventOutbox } from './security-event.outbox';

/** What a producer states; id, time and the request's meta (IP, user agent) are filled in. */
export type NewSecurityEvent<T extends SecurityEventType = SecurityEventType> = Omit<
  SecurityEventOf<T>,
  'eventId' | 'occurredAt' | 'requestId' | 'ip' | 'userAgent'
> &
  Partial<Pick<SecurityEvent, 'eventId' | 'occurredAt'>>;

/**
 * Records security facts in the service's transactional outbox: given the transaction of the
 * change it reports, an event commits (or rolls back) with that change — there is no moment when
 * one exists without the other; the outbox's relay then puts it on the durable `security-events`
 * queue, as soon as the transaction commits (see SecurityEventOutbox). A change that lives
 * outside PostgreSQL (a counter in Redis) records its event in a transaction of its own.
 */
@Injectable()
export class SecurityEventPublisher {
  private readonly logger = new Logger(SecurityEventPublisher.name);

  constructor(private readonly outbox: SecurityEventOutbox) {}

  /**
   * `tx`: the transaction of the change (its failure then fails the change); without one, the
   * event goes to the queue directly while PostgreSQL is down, or waits in the process for either
   * (see SecurityEventOutbox.keepAlone) — not the caller's failure: the change stands either way.
   * `meta`: the request's, as its RPC handler was given it; by default the implicit request
   * context of a service that keeps one (see RpcServer).
   */
  async emit<T extends SecurityEventType>(
    event: NewSecurityEvent<T>,
    meta: RequestMeta | undefined = currentRequestMeta(),
    tx?: EntityManager,
  ): Promise<void> {
    const full = completeEvent(event, meta);
    if (tx) {
      await this.outbox.keep(full, tx);
      return;
    }
    try {
      await this.outbox.keepAlone(full);
    } catch (error) {
      this.logger.warn(
        { err: error, eventId: full.eventId, type: full.type, accountId: full.accountId },
        'Neither PostgreSQL nor the queue can take a security event yet; it is held and retried',
      );
    }
  }

  /** Records or throws (a job that must retry, tests and tools that must know). */
  async publish<T extends SecurityEventType>(
    event: NewSecurityEvent<T>,
    meta = currentRequestMeta(),
  ): Promise<SecurityEvent> {
    const full = completeEvent(event, meta);
    await this.outbox.keep(full);
    return full;
  }
}

/** The producer's statement, with its id, time and the request's meta (IP, user agent). */
function completeEvent<T extends SecurityEventType>(
  event: NewSecurityEvent<T>,
  meta: RequestMeta | undefined,
): SecurityEvent {
  return parseSecurityEvent({
    ...event,
    eventId: event.eventId ?? randomUUID(),
    occurredAt: event.occurredAt ?? new Date().toISOString(),
    requestId: meta?.requestId ?? null,
    ip: meta?.ip ?? null,
    userAgent: meta?.userAgent?.slice(0, 512) ?? null,
  });
}
