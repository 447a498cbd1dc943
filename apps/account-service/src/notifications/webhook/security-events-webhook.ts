import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { type AuditOnlyEvent, type SecurityEvent } from '@twofold/contracts';
import { ENQUEUE_TIMEOUT_MS, withDeadline } from '@twofold/platform';
import { type Queue } from 'bullmq';
import { CloudEvent, HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { ACCOUNT_CONFIG, type AccountConfig } from '../../config/account-config';

export const SECURITY_EVENTS_WEBHOOK_QUEUE = 'security-events-webhook';
const DELIVERY_JOB = 'deliver';

export type ForwardedEvent = SecurityEvent | AuditOnlyEvent;

export const webhookJobId = (eventId: string): string => `webhook-${eventId}`;

/** The event as a CloudEvents 1.0 structured body; its fields are the audit entry's, none of them secret. */
export function cloudEventOf(event: ForwardedEvent, source: string): { body: string; contentType: string } {
  const { eventId, type, occurredAt, ...data } = event;
  const message = HTTP.structured(
    new CloudEvent({
      specversion: '1.0',
      id: eventId,
      type: `twofold.${type}`,
      source,
      time: occurredAt,
      ...(event.subjectId ? { subject: event.subjectId } : {}),
      datacontenttype: 'application/json',
      data,
    }),
  );
  return { body: String(message.body), contentType: String(message.headers['content-type']) };
}

/** Standard Webhooks' three headers: the id stays the event's on every retry, the time is the attempt's. */
export function signedHeaders(
  secret: string,
  eventId: string,
  body: string,
  at: Date,
): Record<string, string> {
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(eventId, at, body),
  };
}

@Injectable()
export class SecurityEventsWebhook {
  constructor(
    @InjectQueue(SECURITY_EVENTS_WEBHOOK_QUEUE) private readonly queue: Queue,
    @Inject(ACCOUNT_CONFIG)
    private readonly config: Pick<
      AccountConfig,
      'SECURITY_EVENTS_WEBHOOK_URL' | 'SECURITY_EVENTS_WEBHOOK_ATTEMPTS'
    >,
  ) {}

  async forward(events: readonly ForwardedEvent[]): Promise<void> {
    if (!this.config.SECURITY_EVENTS_WEBHOOK_URL || events.length === 0) return;
    await withDeadline(
      this.queue.addBulk(
        events.map((event) => ({
          name: DELIVERY_JOB,
          data: event,
          opts: {
            jobId: webhookJobId(event.eventId),
            attempts: this.config.SECURITY_EVENTS_WEBHOOK_ATTEMPTS,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: { age: 24 * 3600, count: 10000 },
            removeOnFail: false,
          },
        })),
      ),
      ENQUEUE_TIMEOUT_MS,
      'adding the webhook jobs',
    );
  }
}
