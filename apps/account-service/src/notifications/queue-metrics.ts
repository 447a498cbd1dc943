import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { SECURITY_EVENTS_QUEUE } from '@twofold/contracts';
import { MetricsService, withDeadline } from '@twofold/platform';
import { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { SECURITY_EVENTS_WEBHOOK_QUEUE } from './webhook/security-events-webhook';

// 'prioritized': the alerts, which wait behind the e-mails someone waits for (see enqueueSecurityEvent).
const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;
const SCRAPE_TIMEOUT_MS = 1_000;

/** A rising "failed" count: events whose audit entry or e-mail gave up after every retry. */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @InjectQueue(SECURITY_EVENTS_QUEUE) private readonly queue: Queue,
    @InjectQueue(SECURITY_EVENTS_WEBHOOK_QUEUE) private readonly webhook: Queue,
  ) {}

  onModuleInit(): void {
    new Gauge({
      name: 'twofold_security_events_jobs',
      help: 'Jobs of the security-events queue by state',
      labelNames: ['state'] as const,
      registers: [this.metrics.registry],
      collect: countsOf(this.queue),
    });
    new Gauge({
      name: 'twofold_security_events_webhook_jobs',
      help: 'Jobs of the webhook deliveries (SECURITY_EVENTS_WEBHOOK_URL) by state',
      labelNames: ['state'] as const,
      registers: [this.metrics.registry],
      collect: countsOf(this.webhook),
    });
  }
}

function countsOf(queue: Queue) {
  return async function collect(this: Gauge<'state'>): Promise<void> {
    // Redis down must not stall the whole scrape: after a second the last values stay.
    const counts = await withDeadline(queue.getJobCounts(...STATES), SCRAPE_TIMEOUT_MS).catch(
      () => undefined,
    );
    if (!counts) return;
    for (const state of STATES) this.set({ state }, counts[state] ?? 0);
  };
}
