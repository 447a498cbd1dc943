import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Clock, type RequestMeta, SecurityEventPublisher } from '@twofold/platform';
import { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';

const FLUSH_MS = 1000;
const MINUTE_MS = 60_000;

interface Who {
  memberId: string;
  accountId: string;
}

/**
 * Every second factor presented, for the audit log only (never e-mailed). Successes are written in
 * batches, off the sign-in's path; failures are counted per member and minute across instances in
 * Redis, and the instance that counted the first one writes the minute's summary when it ends, so a
 * brute force costs one entry a minute. An instance that dies loses at most its unwritten second.
 */
@Injectable()
export class SecondFactorAudit implements OnApplicationShutdown {
  private batch: { who: Who; method: 'totp' | 'recovery_code'; meta: RequestMeta | undefined }[] = [];
  private flushing: NodeJS.Timeout | undefined;
  private readonly summaries = new Map<
    string,
    { who: Who; meta: RequestMeta | undefined; timer: NodeJS.Timeout }
  >();

  constructor(
    private readonly events: SecurityEventPublisher,
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SecondFactorAudit.name);
  }

  succeeded(who: Who, method: 'totp' | 'recovery_code', meta: RequestMeta | undefined): void {
    this.batch.push({ who, method, meta });
    this.flushing ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
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
    clearTimeout(this.flushing);
    await this.flush();
    await Promise.all(
      [...this.summaries.entries()].map(([key, { timer }]) => {
        clearTimeout(timer);
        return this.summarise(key, Number(key.split(':').pop()));
      }),
    );
  }

  private async flush(): Promise<void> {
    this.flushing = undefined;
    const batch = this.batch;
    this.batch = [];
    for (const { who, method, meta } of batch) {
      await this.events.emit(
        {
          type: 'second_factor.succeeded',
          accountId: who.accountId,
          actorId: who.memberId,
          subjectId: who.memberId,
          details: { method },
        },
        meta,
      );
    }
  }

  private async summarise(key: string, minute: number): Promise<void> {
    const summary = this.summaries.get(key);
    this.summaries.delete(key);
    if (!summary) return;
    try {
      const failures = Number((await this.redis.getdel(key)) ?? 0);
      if (failures === 0) return;
      await this.events.emit(
        {
          type: 'second_factor.failed',
          accountId: summary.who.accountId,
          actorId: null,
          subjectId: summary.who.memberId,
          details: {
            failures,
            from: new Date(minute).toISOString(),
            to: new Date(minute + MINUTE_MS).toISOString(),
          },
        },
        summary.meta,
      );
    } catch (error) {
      this.logger.warn(
        { err: error, memberId: summary.who.memberId },
        'Could not audit failed second factors',
      );
    }
  }
}

const failuresKey = (memberId: string, minute: number): string =>
  `otp:second-factor-failures:${memberId}:${minute}`;
