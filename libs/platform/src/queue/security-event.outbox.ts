import { InjectQueue } from '@nestjs/bullmq';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SECURITY_EVENT_JOB, SECURITY_EVENTS_QUEUE, type SecurityEvent } from '@twofold/contracts';
import { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { withDeadline } from '../deadline';
import { MetricsService } from '../metrics/metrics';

/** Retries with exponential back-off; failed jobs are kept for operators to inspect. */
export const SECURITY_EVENT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10000 },
  removeOnFail: false,
} as const;

/**
 * How long adding a job may take. The queue's Redis connection waits for Redis rather than
 * failing (workers need that), so a caller would otherwise hang through an outage.
 */
export const ENQUEUE_TIMEOUT_MS = 2_000;

/** One job per event: the event id is the job id, so adding the same event twice leaves one job. */
export async function enqueueSecurityEvent(queue: Queue, event: SecurityEvent): Promise<void> {
  await withDeadline(
    queue.add(SECURITY_EVENT_JOB, event, { ...SECURITY_EVENT_JOB_OPTIONS, jobId: event.eventId }),
    ENQUEUE_TIMEOUT_MS,
    'adding the security-event job',
  );
}

/**
 * The outbox table, in the schema of each service that emits security events (each service's
 * connection has its own schema first on the search_path). Add it to the service's migrations.
 */
export class SecurityEventOutbox1764400000000 implements MigrationInterface {
  name = 'SecurityEventOutbox1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE security_event_outbox (
        event_id uuid PRIMARY KEY,
        payload jsonb NOT NULL,
        kept_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE security_event_outbox`);
  }
}

/** How often the relay looks for kept events, and how many it moves at a time. */
export const OUTBOX_RELAY_INTERVAL_MS = 5_000;
const RELAY_BATCH = 100;

/**
 * Where a security event waits when the queue (Redis) cannot take it: the change it reports is
 * already committed in PostgreSQL, so the event is kept there too, and relayed to the queue
 * once Redis answers again. The event id stays the job id, so a late duplicate is one job.
 */
@Injectable()
export class SecurityEventOutbox implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SecurityEventOutbox.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(SECURITY_EVENTS_QUEUE) private readonly queue: Queue,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const size = () => this.size();
    new Gauge({
      name: 'twofold_security_events_outbox',
      help: 'Security events kept because the queue (Redis) could not take them; relayed when it can',
      registers: [this.metrics.registry],
      async collect() {
        // A failing database must not break the whole scrape: the last value stays.
        await size().then(
          (n) => this.set(n),
          () => undefined,
        );
      },
    });
  }

  async keep(event: SecurityEvent): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO security_event_outbox (event_id, payload) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING`,
      [event.eventId, JSON.stringify(event)],
    );
  }

  async size(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM security_event_outbox`,
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Moves kept events to the queue, oldest first; returns how many. Rows are locked while they
   * are moved (SKIP LOCKED: instances share the work) and deleted only once the queue took them.
   */
  relay(): Promise<number> {
    this.running ??= this.relayBatch().finally(() => (this.running = undefined));
    return this.running;
  }

  private async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ event_id: string; payload: SecurityEvent }[]>(
        `SELECT event_id, payload FROM security_event_outbox ORDER BY kept_at LIMIT ${RELAY_BATCH} FOR UPDATE SKIP LOCKED`,
      );
      for (const row of rows) await enqueueSecurityEvent(this.queue, row.payload);
      if (rows.length > 0) {
        await manager.query(`DELETE FROM security_event_outbox WHERE event_id = ANY($1::uuid[])`, [
          rows.map((r) => r.event_id),
        ]);
        this.logger.log({ count: rows.length }, 'Relayed kept security events to the queue');
      }
      return rows.length;
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.relay().catch((error: unknown) => {
        this.logger.debug({ err: error }, 'The queue still cannot take the kept security events');
      });
    }, OUTBOX_RELAY_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
