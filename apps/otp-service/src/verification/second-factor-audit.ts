import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { type AuditOnlyEvent, AuditRpc, type SecondFactorMethod } from '@twofold/contracts';
import { Clock, type RequestMeta, RpcClient } from '@twofold/platform';
import { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';

/** Briefly: entries held longer outlive V8's young generation, and collecting them costs more. */
const FLUSH_MS = 100;
const RETRY_MS = 1000;
/** Entries per call: well under NATS's 1 MB message limit (an entry is about 400 bytes). */
const BATCH_MAX = 500;
const MINUTE_MS = 60_000;
/** Kept while account-service cannot take them; beyond, the oldest go (and a warning says so). */
const HELD_MAX = 20_000;

interface Who {
  memberId: string;
  accountId: string;
}

/**
 * Every second factor presented, for the audit log only (never e-mailed). Too frequent for the
 * outbox and the queue (an entry per sign-in): handed to account-service in batches, off
 * the sign-in's path. Refused codes are counted per member and minute across instances in Redis;
 * the instance that counted a minute's first one adds its summary when the minute ends, so a brute
 * force costs one entry a minute. An instance killed outright loses what it had not yet handed over.
 */
@Injectable()
export class SecondFactorAudit implements BeforeApplicationShutdown {
  private held: AuditOnlyEvent[] = [];
  private flushing: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private running = false;
  private failing = false;
  private closed = false;
  private readonly summaries = new Map<
    string,
    { who: Who; meta: RequestMeta | null; timer: NodeJS.Timeout }
  >();

  constructor(
    private readonly rpc: RpcClient,
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SecondFactorAudit.name);
  }

  succeeded(who: Who, method: SecondFactorMethod, meta: RequestMeta | null): void {
    this.hold({
      ...envelope(who, meta, this.clock.now()),
      type: 'second_factor.succeeded',
      actorId: who.memberId,
      details: { method },
    });
  }

  /** One Redis round trip, on the failure path only. */
  async failed(who: Who, meta: RequestMeta | null): Promise<void> {
    if (this.closed) return;
    const minute = Math.floor(this.clock.now().getTime() / MINUTE_MS) * MINUTE_MS;
    const key = failuresKey(who.memberId, minute);
    const [[, count]] = (await this.redis
      .multi()
      .incr(key)
      .pexpire(key, 3 * MINUTE_MS)
      .exec()) as [[null, number], [null, number]];
    if (count !== 1 || this.closed) return;
    const delay = minute + MINUTE_MS - this.clock.now().getTime();
    const timer = setTimeout(() => void this.summarise(key, minute), Math.max(delay, 0) + 100).unref();
    this.summaries.set(key, { who, meta, timer });
  }

  /** Before Redis and NATS close (their clients close in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
    this.closed = true;
  }

  /** Writes what is held back now: the open minutes' summaries, then every entry. */
  async drain(): Promise<void> {
    await Promise.all(
      [...this.summaries.entries()].map(([key, { timer }]) => {
        clearTimeout(timer);
        return this.summarise(key, Number(key.split(':').pop()));
      }),
    );
    clearTimeout(this.flushing);
    this.flushing = undefined;
    await this.sending;
    await this.send();
  }

  private hold(event: AuditOnlyEvent): void {
    this.held.push(event);
    if (this.held.length > HELD_MAX) {
      this.logger.warn({ dropped: this.held.length - HELD_MAX }, 'Second-factor audit entries dropped');
      this.held = this.held.slice(-HELD_MAX);
    }
    if (this.held.length >= BATCH_MAX && !this.failing) this.flush();
    else this.flushing ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  /** One send at a time: the running one also takes what arrives meanwhile. */
  private flush(): void {
    clearTimeout(this.flushing);
    this.flushing = undefined;
    if (this.running) return;
    this.running = true;
    this.sending = this.send().finally(() => {
      this.running = false;
    });
  }

  private async send(): Promise<void> {
    while (this.held.length > 0) {
      const events = this.held.slice(0, BATCH_MAX);
      this.held = this.held.slice(events.length);
      try {
        await this.rpc.call(AuditRpc.record, { events });
        this.failing = false;
      } catch (error) {
        if (!this.failing) {
          this.logger.warn(
            { err: error, held: this.held.length + events.length },
            'account-service did not take the second-factor audit; kept',
          );
        }
        this.failing = true;
        this.held = [...events, ...this.held];
        if (!this.closed) this.flushing ??= setTimeout(() => this.flush(), RETRY_MS).unref();
        return;
      }
    }
  }

  private async summarise(key: string, minute: number): Promise<void> {
    const summary = this.summaries.get(key);
    this.summaries.delete(key);
    if (!summary || this.closed) return;
    try {
      const failures = Number((await this.redis.getdel(key)) ?? 0);
      if (failures === 0) return;
      this.hold({
        ...envelope(summary.who, summary.meta, new Date(minute + MINUTE_MS)),
        type: 'second_factor.failed',
        actorId: null,
        details: {
          failures,
          from: new Date(minute).toISOString(),
          to: new Date(minute + MINUTE_MS).toISOString(),
        },
      });
    } catch (error) {
      this.logger.warn(
        { err: error, memberId: summary.who.memberId },
        'Could not count failed second factors',
      );
    }
  }
}

const envelope = (who: Who, meta: RequestMeta | null, at: Date) => ({
  eventId: randomUUID(),
  accountId: who.accountId,
  subjectId: who.memberId,
  occurredAt: at.toISOString(),
  requestId: meta?.requestId ?? null,
  ip: meta?.ip ?? null,
  userAgent: meta?.userAgent?.slice(0, 512) ?? null,
});

const failuresKey = (memberId: string, minute: number): string =>
  `otp:second-factor-failures:${memberId}:${minute}`;
