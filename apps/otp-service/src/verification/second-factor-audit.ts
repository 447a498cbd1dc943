import { randomUUID } from 'node:crypto';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type AuditOnlyEvent, AuditRpc } from '@twofold/contracts';
import { Clock, type RequestMeta, RpcClient } from '@twofold/platform';
import { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';

const FLUSH_MS = 1000;
const MINUTE_MS = 60_000;
/** Kept while account-service cannot take them; beyond, the oldest go (and a warning says so). */
const HELD_MAX = 20_000;

interface Who {
  memberId: string;
  accountId: string;
}

/**
 * Every second factor presented, for the audit log only (never e-mailed). Too frequent for the
 * outbox and the queue (an entry per sign-in): handed to account-service in one batch a second, off
 * the sign-in's path. Refused codes are counted per member and minute across instances in Redis;
 * the instance that counted a minute's first one adds its summary when the minute ends, so a brute
 * force costs one entry a minute. An instance killed outright loses what it had not yet handed over.
 */
@Injectable()
export class SecondFactorAudit implements OnApplicationShutdown {
  private held: AuditOnlyEvent[] = [];
  private flushing: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private readonly summaries = new Map<
    string,
    { who: Who; meta: RequestMeta | undefined; timer: NodeJS.Timeout }
  >();

  constructor(
    private readonly rpc: RpcClient,
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SecondFactorAudit.name);
  }

  succeeded(who: Who, method: 'totp' | 'recovery_code', meta: RequestMeta | undefined): void {
    this.hold({
      ...envelope(who, meta, this.clock.now()),
      type: 'second_factor.succeeded',
      actorId: who.memberId,
      details: { method },
    });
  }

  /** One Redis round trip, on the failure path only. */
  async failed(who: Who, meta: RequestMeta | undefined): Promise<void> {
    const minute = Math.floor(this.clock.now().getTime() / MINUTE_MS) * MINUTE_MS;
    const key = failuresKey(who.memberId, minute);
    const [[, count]] = (await this.redis
      .multi()
      .incr(key)
      .pexpire(key, 3 * MINUTE_MS)
      .exec()) as [[null, number], [null, number]];
    if (count !== 1) return;
    const delay = minute + MINUTE_MS - this.clock.now().getTime();
    const timer = setTimeout(() => void this.summarise(key, minute), Math.max(delay, 0) + 100).unref();
    this.summaries.set(key, { who, meta, timer });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [...this.summaries.entries()].map(([key, { timer }]) => {
        clearTimeout(timer);
        return this.summarise(key, Number(key.split(':').pop()));
      }),
    );
    clearTimeout(this.flushing);
    await this.sending;
    await this.flush();
  }

  private hold(event: AuditOnlyEvent): void {
    this.held.push(event);
    if (this.held.length > HELD_MAX) {
      this.logger.warn({ dropped: this.held.length - HELD_MAX }, 'Second-factor audit entries dropped');
      this.held = this.held.slice(-HELD_MAX);
    }
    this.flushing ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  private flush(): Promise<void> {
    this.flushing = undefined;
    this.sending = this.sending.then(() => this.send());
    return this.sending;
  }

  private async send(): Promise<void> {
    const events = this.held;
    if (events.length === 0) return;
    this.held = [];
    try {
      await this.rpc.call(AuditRpc.record, { events });
    } catch (error) {
      this.logger.warn(
        { err: error, held: events.length },
        'account-service did not take the second-factor audit; kept',
      );
      this.held = [...events, ...this.held];
      this.flushing ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
    }
  }

  private async summarise(key: string, minute: number): Promise<void> {
    const summary = this.summaries.get(key);
    this.summaries.delete(key);
    if (!summary) return;
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

const envelope = (who: Who, meta: RequestMeta | undefined, at: Date) => ({
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
