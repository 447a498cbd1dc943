import { createRedisClient } from '@twofold/platform';
import { deleteTestKeys, domainErrorOf, runId, TEST_REDIS, TestClock } from '@twofold/testing';
import { type Redis } from 'ioredis';
import { IpRateLimiter } from './ip-rate-limiter';

describe(IpRateLimiter.name, () => {
  const prefix = `${runId()}:`;
  const clock = new TestClock(new Date('2026-11-28T10:00:10Z'));
  let redis: Redis;
  let limiter: IpRateLimiter;

  beforeAll(async () => {
    redis = createRedisClient(TEST_REDIS, prefix, 'rate-limit-test');
    await redis.connect();
    limiter = new IpRateLimiter(redis, clock, {
      AUTH_RATE_LIMIT_PER_MINUTE: 3,
      PASSWORD_RESET_RATE_LIMIT_PER_MINUTE: 1,
    });
  });

  afterAll(async () => {
    await deleteTestKeys(`${prefix}*`);
    redis.disconnect();
  });

  it('lets the limit through, then answers 429 with the seconds left in the minute', async () => {
    for (let i = 0; i < 3; i += 1) await limiter.hit('login', '192.0.2.1');

    const refused = await domainErrorOf(limiter.hit('login', '192.0.2.1'));

    expect(refused.code).toBe('too_many_attempts');
    expect(refused.retryAfterSeconds).toBe(50);
  });

  it('counts each address and each bucket apart', async () => {
    for (let i = 0; i < 3; i += 1) await limiter.hit('login', '192.0.2.2');

    await expect(limiter.hit('login', '192.0.2.3')).resolves.toBeUndefined();
    await expect(limiter.hit('mfa', '192.0.2.2')).resolves.toBeUndefined();
  });

  it('holds a bucket to its own stricter limit when the route names one', async () => {
    await limiter.hit('password-reset', '192.0.2.5', 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE');

    const refused = await domainErrorOf(
      limiter.hit('password-reset', '192.0.2.5', 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE'),
    );

    expect(refused.code).toBe('too_many_attempts');
    await expect(limiter.hit('login', '192.0.2.5')).resolves.toBeUndefined();
  });

  it('starts again in the next minute', async () => {
    for (let i = 0; i < 3; i += 1) await limiter.hit('login', '192.0.2.4');
    clock.advance(60_000);

    await expect(limiter.hit('login', '192.0.2.4')).resolves.toBeUndefined();
  });
});
