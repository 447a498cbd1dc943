import { Inject, type OnModuleInit } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { SpanKind } from '@opentelemetry/api';
import { Clock, inSpan, MetricsService } from '@twofold/platform';
import { type Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { Counter } from 'prom-client';
import { ACCOUNT_CONFIG, type AccountConfig } from '../../config/account-config';
import {
  cloudEventOf,
  type ForwardedEvent,
  SECURITY_EVENTS_WEBHOOK_QUEUE,
  signedHeaders,
} from './security-events-webhook';

const DELIVERY_TIMEOUT_MS = 10_000;

/** At least once: any answer but a 2xx, or none, is tried again with back-off under the same webhook-id. */
@Processor(SECURITY_EVENTS_WEBHOOK_QUEUE, { concurrency: 8 })
export class SecurityEventsWebhookProcessor extends WorkerHost implements OnModuleInit {
  private deliveries!: Counter<'outcome'>;

  constructor(
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
    @Inject(ACCOUNT_CONFIG)
    private readonly config: Pick<
      AccountConfig,
      'PUBLIC_URL' | 'SECURITY_EVENTS_WEBHOOK_URL' | 'SECURITY_EVENTS_WEBHOOK_SECRET'
    >,
  ) {
    super();
    this.logger.setContext(SecurityEventsWebhookProcessor.name);
  }

  onModuleInit(): void {
    this.deliveries = new Counter({
      name: 'twofold_security_events_webhook_deliveries_total',
      help: 'Attempts to deliver a security event to the webhook, by outcome (delivered, refused, unreachable, gave_up)',
      labelNames: ['outcome'] as const,
      registers: [this.metrics.registry],
    });
  }

  process(job: Job<ForwardedEvent>): Promise<void> {
    return inSpan('webhook deliver', { kind: SpanKind.CLIENT }, () => this.deliver(job.data));
  }

  private async deliver(event: ForwardedEvent): Promise<void> {
    const { SECURITY_EVENTS_WEBHOOK_URL: url, SECURITY_EVENTS_WEBHOOK_SECRET: secret } = this.config;
    if (!url || !secret) throw new Error('no webhook is configured any more');
    const { body, contentType } = cloudEventOf(event, this.config.PUBLIC_URL);
    let status: number;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          ...signedHeaders(secret, event.eventId, body, this.clock.now()),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      this.deliveries.inc({ outcome: 'unreachable' });
      // Never the URL: it may carry the receiver's token.
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new Error(`the webhook did not answer (${cause})`, { cause: error });
    }
    if (status < 200 || status > 299) {
      this.deliveries.inc({ outcome: 'refused' });
      throw new Error(`the webhook answered ${status}`);
    }
    this.deliveries.inc({ outcome: 'delivered' });
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<ForwardedEvent> | undefined, error: Error): void {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    this.deliveries.inc({ outcome: 'gave_up' });
    this.logger.error(
      { eventId: job.data.eventId, type: job.data.type, attempts: job.attemptsMade, reason: error.message },
      'A security event was not delivered to the webhook after every attempt (npm run admin -- jobs failed)',
    );
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, 'The webhook worker cannot reach Redis; it retries');
  }
}
