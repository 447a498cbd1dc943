import { InjectQueue } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isAwaited, SECURITY_EVENT_JOB, SECURITY_EVENTS_QUEUE, type SecurityEvent } from '@twofold/contracts';
import { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { type Pool, type PoolClient } from 'pg';
import { DataSource, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { withDeadline } from '../deadline';
import { MetricsService } from '../metrics/metrics';

export const SECURITY_EVENT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10000 },
  removeOnFail: false,
} as const;

/** The queue's connection waits for Redis (workers need that), so a caller would hang through an outage. */
export const ENQUEUE_TIMEOUT_MS = 2_000;

/** BullMQ takes jobs without a priority first: awaited e-mails (isAwaited) go before the rest. */
export const NOT_AWAITED_PRIORITY = 10;

/** The event id is the job id, so adding the same event twice leaves one job. */
export async function enqueueSecurityEvent(queue: Queue, event: SecurityEvent): Promise<void> {
  await withDeadline(
    queue.add(SECURITY_EVENT_JOB, event, {
      ...SECURITY_EVENT_JOB_OPTIONS,
      jobId: event.eventId,
      ...(isAwaited(event.type) ? {} : { priority: NOT_AWAITED_PRIORITY }),
    }),
    ENQUEUE_TIMEOUT_MS,
    'adding the security-event job',
  );
}

/** Each service's outbox table lives in its own schema; add it to that service's migrations. */
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

const HELD_MAX = 10_000;

/** Besides being notified: for a lost notification or a crash. */
export const OUTBOX_RELAY_INTERVAL_MS = 2_000;
const RELAY_BATCH = 100;

export interface OutboxOptions {
  /** Tests only: SIGKILL just before relaying an event of this type, after its commit. */
  crashBeforeRelaying?: string | undefined;
}
export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

/**
 * Events are rows written in the change's transaction; a relay moves them to the queue (event id = job
 * id) on a commit notification or a poll, so a crash or a Redis outage delays e-mails but loses none.
 */
@Injectable()
export class SecurityEventOutbox implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SecurityEventOutbox.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private listener: { client: PoolClient; release: (destroy: boolean) => void } | undefined;
  private stopped = false;
  private readonly held = new Map<string, SecurityEvent>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(SECURITY_EVENTS_QUEUE) private readonly queue: Queue,
    private readonly metrics: MetricsService,
    @Optional() @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions = {},
  ) {}

  private get channel(): string {
    const schema = (this.dataSource.options as { schema?: string }).schema ?? 'public';
    return `security_event_outbox_${schema.replace(/[^a-z0-9_]/gi, '_')}`;
  }

  onModuleInit(): void {
    const size = async () => (await this.size()) + this.held.size;
    new Gauge({
      name: 'twofold_security_events_outbox',
      help: 'Security events recorded but not on the queue yet (Redis unreachable, or being relayed)',
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

  async keep(event: SecurityEvent, tx: EntityManager = this.dataSource.manager): Promise<void> {
    await tx.query(
      `WITH kept AS (
         INSERT INTO security_event_outbox (event_id, payload) VALUES ($1, $2)
         ON CONFLICT (event_id) DO NOTHING RETURNING 1)
       SELECT pg_notify($3, '') FROM kept`,
      [event.eventId, JSON.stringify(event), this.channel],
    );
  }

  async keepAlone(event: SecurityEvent): Promise<void> {
    try {
      await this.keep(event);
    } catch (error) {
      try {
        await enqueueSecurityEvent(this.queue, event);
      } catch {
        this.hold(event);
        throw error;
      }
    }
  }

  private hold(event: SecurityEvent): void {
    if (this.held.size >= HELD_MAX) {
      const [oldest] = this.held.values();
      this.held.delete(oldest.eventId);
      this.logger.error({ eventId: oldest.eventId, type: oldest.type }, 'Dropped a held security event');
    }
    this.held.set(event.eventId, event);
  }

  private async retryHeld(): Promise<void> {
    for (const event of [...this.held.values()]) {
      this.held.delete(event.eventId);
      try {
        await this.keepAlone(event);
      } catch {
        return; // held again: the rest waits for the next relay
      }
    }
  }

  async size(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM security_event_outbox`,
    );
    return Number(row?.n ?? 0);
  }

  /** SKIP LOCKED lets instances share the work; a relay asked for while one runs runs again after it. */
  relay(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.relayBatch().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.relay().catch(() => undefined);
      }
    });
    return this.running;
  }

  private async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ event_id: string; payload: SecurityEvent }[]>(
        `SELECT event_id, payload FROM security_event_outbox ORDER BY kept_at LIMIT ${RELAY_BATCH} FOR UPDATE SKIP LOCKED`,
      );
      for (const row of rows) {
        if (this.options.crashBeforeRelaying === row.payload.type) {
          this.logger.warn({ eventId: row.event_id }, 'Test hook: killed between commit and relay');
          process.kill(process.pid, 'SIGKILL');
        }
        await enqueueSecurityEvent(this.queue, row.payload);
      }
      if (rows.length > 0) {
        await manager.query(`DELETE FROM security_event_outbox WHERE event_id = ANY($1::uuid[])`, [
          rows.map((r) => r.event_id),
        ]);
      }
      return rows.length;
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.timer = setInterval(() => this.relayQuietly(), OUTBOX_RELAY_INTERVAL_MS);
    this.timer.unref();
    await this.listen();
    // What a previous process recorded and did not relay.
    this.relayQuietly();
  }

  private relayQuietly(): void {
    if (this.held.size > 0) void this.retryHeld();
    this.relay().catch((error: unknown) => {
      this.logger.debug({ err: error }, 'The queue cannot take the recorded security events yet');
    });
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    try {
      const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
      const client = await pool.connect();
      // Released once: an error can come after the client went back, and pg throws on a second release.
      let released = false;
      const release = (destroy: boolean) => {
        if (released) return;
        released = true;
        client.release(destroy);
      };
      this.listener = { client, release };
      client.on('notification', () => this.relayQuietly());
      client.on('error', () => {
        release(true);
        if (this.listener?.client === client) this.listener = undefined;
        if (!this.stopped) setTimeout(() => void this.listen(), OUTBOX_RELAY_INTERVAL_MS).unref();
      });
      await client.query(`LISTEN ${this.channel}`).catch((error: unknown) => {
        release(true);
        if (this.listener?.client === client) this.listener = undefined;
        throw error;
      });
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn({ err: error }, 'Cannot listen for recorded security events; polling only');
      setTimeout(() => void this.listen(), OUTBOX_RELAY_INTERVAL_MS).unref();
    }
  }

  /** Before the connections close (their pool waits for the listener's client to come back). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.retryHeld();
    if (this.held.size > 0)
      this.logger.error(
        { events: [...this.held.keys()] },
        'Stopping with security events neither PostgreSQL nor Redis took',
      );
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      await listener.client.query(`UNLISTEN ${this.channel}`).catch(() => undefined);
      listener.release(false);
    }
  }
}
