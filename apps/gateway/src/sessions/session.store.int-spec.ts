import { createHash } from 'node:crypto';
import { type GatewayConfig, loadGatewayConfig } from '../config/gateway-config';
import { Clock, createRedisClient } from '@twofold/platform';
import { runId, TEST_REDIS_URL } from '@twofold/testing';
import { type Redis } from 'ioredis';
import { SessionStore } from './session.store';

class FixedClock extends Clock {
  constructor(private readonly at: Date) {
    super();
  }
  now(): Date {
    return this.at;
  }
}

describe(SessionStore.name, () => {
  const prefix = `${runId()}:`;
  let redis: Redis;
  let config: GatewayConfig;
  let store: SessionStore;
  const now = new Date('2026-11-28T10:00:00Z');

  beforeAll(async () => {
    redis = createRedisClient(TEST_REDIS_URL, prefix, 'session-store-test');
    await redis.connect();
    config = loadGatewayConfig({ SESSION_TTL_SECONDS: '600' });
    store = new SessionStore(redis, new FixedClock(now), config);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    redis.disconnect();
  });

  it('issues a 256-bit token that resolves to its session', async () => {
    const { token, session } = await store.issue({
      memberId: 'm1',
      accountId: 'a1',
      roles: ['owner'],
      aal: 1,
    });

    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(await store.resolve(token)).toEqual(session);
    expect(session.expiresAt).toBe('2026-11-28T10:10:00.000Z');
  });

  it('stores only a hash of the token, with the session TTL', async () => {
    const { token } = await store.issue({ memberId: 'm2', accountId: 'a1', roles: ['owner'], aal: 1 });
    const hash = createHash('sha256').update(token).digest('base64url');

    const keys = await redis.keys(`${prefix}*`);

    expect(keys.some((k) => k.includes(token))).toBe(false);
    expect(await redis.ttl(`session:${hash}`)).toBeGreaterThan(590);
  });

  it('forgets a revoked token but keeps the member’s other sessions', async () => {
    const first = await store.issue({ memberId: 'm3', accountId: 'a1', roles: ['owner'], aal: 1 });
    const second = await store.issue({ memberId: 'm3', accountId: 'a1', roles: ['owner'], aal: 1 });

    await store.revoke(first.token, 'm3');

    expect(await store.resolve(first.token)).toBeUndefined();
    expect(await store.resolve(second.token)).toEqual(second.session);
  });

  it('does not resolve a token it never issued', async () => {
    expect(await store.resolve('A'.repeat(43))).toBeUndefined();
  });
});
