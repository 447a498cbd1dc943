import { randomUUID } from 'node:crypto';
import { type GatewayConfig, loadGatewayConfig } from '../config/gateway-config';
import { Clock, createRedisClient, SecurityStamps } from '@twofold/platform';
import { runId, TEST_REDIS_URL } from '@twofold/testing';
import { type Redis } from 'ioredis';
import { hashToken } from './member-token';
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
  let stamps: SecurityStamps;
  const now = new Date('2026-11-28T10:00:00Z');
  const memberOf = (memberId: string) => ({
    user: {
      id: memberId,
      login: `m-${memberId.slice(0, 8)}`,
      email: 'm@example.com',
      roles: ['owner' as const],
    },
    account: { id: randomUUID(), name: 'Acme' },
  });
  const issue = async (memberId = randomUUID(), stamp = '0') => {
    const issued = await store.issue({ member: memberOf(memberId), roles: ['owner'], aal: 1, stamp });
    if (!issued) throw new Error('not issued');
    return issued;
  };

  beforeAll(async () => {
    redis = createRedisClient(TEST_REDIS_URL, prefix, 'session-store-test');
    await redis.connect();
    config = loadGatewayConfig({ SESSION_TTL_SECONDS: '600' });
    store = new SessionStore(redis, new FixedClock(now), config);
    stamps = new SecurityStamps(redis);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    redis.disconnect();
  });

  it('issues a token naming its member, with 256 random bits, that resolves to its session', async () => {
    const memberId = randomUUID();
    const { token, session } = await issue(memberId);

    expect(Buffer.from(token.slice(22), 'base64url')).toHaveLength(32);
    expect(Buffer.from(token.slice(0, 22), 'base64url').toString('hex')).toBe(memberId.replace(/-/g, ''));
    expect(await store.resolve(token)).toEqual(session);
    expect(session.expiresAt).toBe('2026-11-28T10:10:00.000Z');
  });

  it('stores only a hash of the token, with the session TTL', async () => {
    const { token } = await issue();
    const keys = await redis.keys(`${prefix}*`);

    expect(keys.some((k) => k.includes(token) || k.includes(token.slice(22)))).toBe(false);
    expect(keys.some((k) => k.endsWith(hashToken(token)))).toBe(true);
    const key = keys.find((k) => k.endsWith(hashToken(token)))!.slice(prefix.length);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('forgets a revoked token but keeps the member’s other sessions', async () => {
    const memberId = randomUUID();
    const first = await issue(memberId);
    const second = await issue(memberId);

    await store.revoke(first.token);

    expect(await store.resolve(first.token)).toBeUndefined();
    expect(await store.resolve(second.token)).toEqual(second.session);
  });

  it('refuses every session of a member once its security stamp changes', async () => {
    const memberId = randomUUID();
    const first = await issue(memberId);
    const second = await issue(memberId);

    await stamps.around([memberId], () => Promise.resolve());

    expect(await store.resolve(first.token)).toBeUndefined();
    expect(await store.resolve(second.token)).toBeUndefined();
  });

  it('keeps one session through its own member’s change by taking the new stamp', async () => {
    const memberId = randomUUID();
    const kept = await issue(memberId);
    const other = await issue(memberId);

    const { stamps: next } = await stamps.around([memberId], () => Promise.resolve());
    await store.restamp(kept.token, kept.session, next[memberId]);

    expect((await store.resolve(kept.token))?.stamp).toBe(next[memberId]);
    expect(await store.resolve(other.token)).toBeUndefined();
  });

  it('does not issue a session on a stamp that has already moved on', async () => {
    const memberId = randomUUID();
    await stamps.around([memberId], () => Promise.resolve());

    expect(
      await store.issue({ member: memberOf(memberId), roles: ['owner'], aal: 1, stamp: '0' }),
    ).toBeUndefined();
  });

  it('does not resolve a token it never issued, or one for another member', async () => {
    const { token } = await issue();

    expect(await store.resolve('A'.repeat(65))).toBeUndefined();
    expect(await store.resolve(`${'A'.repeat(22)}${token.slice(22)}`)).toBeUndefined();
    expect(await store.resolve('short')).toBeUndefined();
  });
});
