import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  parseSecurityEvent,
  type SecurityEvent,
  type SecurityEventOf,
  type SecurityEventType,
} from '@twofold/contracts';
import { type EntityManager } from 'typeorm';
import { type RequestMeta } from '../logging/request-context';
import { SecurityEventOutbox } from './security-event.outbox';

export type NewSecurityEvent<T extends SecurityEventType = SecurityEventType> = Omit<
  SecurityEventOf<T>,
  'eventId' | 'occurredAt' | 'requestId' | 'ip' | 'userAgent'
> &
  Partial<Pick<SecurityEvent, 'eventId' | 'occurredAt'>>;

/** Given the change's transaction, an event commits or rolls back with it; the outbox relays it. */
@Injectable()
export class SecurityEventPublisher {
  private readonly logger = new Logger(SecurityEventPublisher.name);

  constructor(private readonly outbox: SecurityEventOutbox) {}

  /**
   * `meta`: the request that made the change (its address is audited), null when no request did.
   * Without `tx`, a failure is logged, not thrown: the change stands, and the event is held and retried.
   */
  async emit<T extends SecurityEventType>(
    event: NewSecurityEvent<T>,
    meta: RequestMeta | null,
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
    meta: RequestMeta | null,
  ): Promise<SecurityEvent> {
    const full = completeEvent(event, meta);
    await this.outbox.keep(full);
    return full;
  }
}

function completeEvent<T extends SecurityEventType>(
  event: NewSecurityEvent<T>,
  meta: RequestMeta | null,
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
