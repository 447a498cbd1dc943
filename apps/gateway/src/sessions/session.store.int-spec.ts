import { randomUUID } from 'node:crypto';
import { type GatewayConfig, loadGatewayConfig } from '../config/gateway-config';
import { Clock, createRedisClient, SecurityStamps } from '@twofold/platform';
import { deleteTestKeys, runId, TEST_REDIS, testKeys } from '@twofold/testing';
import { type Redis } from 'ioredis';
import { hashToken } from './member-token';
import { SessionStore } from './session.store';

async function waitFor(check: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

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
  const origin = {
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    via: 'web' as const,
  };
  const issue = async (memberId = randomUUID(), stamp = '0') => {
    const issued = await store.issue({ member: memberOf(memberId), roles: ['owner'], aal: 1, stamp, origin });
    if (!issued) throw new Error('not issued');
    return issued;
  };

  beforeAll(async () => {
    redis = createRedisClient(TEST_REDIS, prefix, 'session-store-test');
    await redis.connect();
    config = loadGatewayConfig({ SESSION_TTL_SECONDS: '600' });
    store = new SessionStore(redis, new FixedClock(now), config);
    stamps = new SecurityStamps(redis);
  });

  afterAll(async () => {
    await deleteTestKeys(`${prefix}*`);
    redis.disconnect();
  });

  describe('known devices', () => {
    const issueFrom = async (memberId: string, device: string) =>
      store.issue({
        member: memberOf(memberId),
        roles: ['owner'],
        aal: 1,
        stamp: '0',
        origin: { ...origin, device },
      });

    it('says nothing of the member’s first device, then tells each new one once', async () => {
      const memberId = randomUUID();

      expect((await issueFrom(memberId, 'laptop'))?.newDevice).toBeUndefined();
      expect((await issueFrom(memberId, 'laptop'))?.newDevice).toBeUndefined();
      expect((await issueFrom(memberId, 'phone'))?.newDevice).toBe(true);
      expect((await issueFrom(memberId, 'phone'))?.newDevice).toBeUndefined();
    });

    it('keeps each member’s devices apart', async () => {
      const [alice, bob] = [randomUUID(), randomUUID()];
      await issueFrom(alice, 'shared-pc');
      await issueFrom(bob, 'own-pc');

      expect((await issueFrom(bob, 'shared-pc'))?.newDevice).toBe(true);
    });

    it('notes no device when the session is refused (stale stamp)', async () => {
      const memberId = randomUUID();
      await issueFrom(memberId, 'laptop');
      await stamps.change([memberId], () => Promise.resolve());

      expect(await issueFrom(memberId, 'tablet')).toBeUndefined();
      expect(await redis.hexists(`devices:{${memberId}}`, 'tablet')).toBe(0);
    });

    it('remembers at most 50 devices, forgetting the least recently used first', async () => {
      const memberId = randomUUID();
      for (let i = 0; i < 50; i += 1) {
        await redis.hset(`devices:{${memberId}}`, `old-${i}`, String(now.getTime() - (i === 7 ? 9e9 : i)));
      }

      expect((await issueFrom(memberId, 'one-more'))?.newDevice).toBe(true);
      expect(await redis.hlen(`devices:{${memberId}}`)).toBe(50);
      expect(await redis.hexists(`devices:{${memberId}}`, 'old-7')).toBe(0);
    });
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
    const keys = await testKeys(`${prefix}*`);

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

    await stamps.change([memberId], () => Promise.resolve());

    expect(await store.resolve(first.token)).toBeUndefined();
    expect(await store.resolve(second.token)).toBeUndefined();
  });

  it('keeps one session through its own member’s change by taking the new stamp', async () => {
    const memberId = randomUUID();
    const kept = await issue(memberId);
    const other = await issue(memberId);

    const { kept: next } = await stamps.change([{ id: memberId, keep: kept.session.stamp }], () =>
      Promise.resolve(),
    );
    await store.restamp(kept.token, kept.session, next[memberId]);

    expect((await store.resolve(kept.token))?.stamp).toBe(next[memberId]);
    expect(await store.resolve(other.token)).toBeUndefined();
  });

  it('does not issue a session on a stamp that has already moved on', async () => {
    const memberId = randomUUID();
    await stamps.change([memberId], () => Promise.resolve());

    expect(
      await store.issue({ member: memberOf(memberId), roles: ['owner'], aal: 1, stamp: '0', origin }),
    ).toBeUndefined();
  });

  describe('under the 2FA policy in force now', () => {
    const deadline = (memberId: string, value: string) => redis.set(`member-deadline:{${memberId}}`, value);

    it('restricts a session of a member without 2FA once the published deadline is past', async () => {
      const { token, session } = await issue();
      await deadline(session.memberId, new Date(now.getTime() - 1000).toISOString());

      expect((await store.resolve(token))?.restricted).toBe(true);
    });

    it('follows a deadline moved earlier or later than the one the session began with', async () => {
      const memberId = randomUUID();
      const issued = await store.issue({
        member: memberOf(memberId),
        roles: ['owner'],
        aal: 1,
        stamp: '0',
        origin,
        enrolBy: new Date(now.getTime() + 3600_000).toISOString(),
      });
      await deadline(memberId, now.toISOString());
      expect((await store.resolve(issued!.token))?.restricted).toBe(true);

      await deadline(memberId, '');
      expect((await store.resolve(issued!.token))?.restricted).toBeUndefined();
    });

    it('lifts the restriction of a session issued restricted once the policy gives no deadline', async () => {
      const memberId = randomUUID();
      const issued = await store.issue({
        member: memberOf(memberId),
        roles: ['owner'],
        aal: 1,
        stamp: '0',
        origin,
        restricted: true,
      });
      await deadline(memberId, '');

      expect((await store.resolve(issued!.token))?.restricted).toBeUndefined();
    });

    it('never restricts a session of a member with 2FA', async () => {
      const memberId = randomUUID();
      const issued = await store.issue({
        member: memberOf(memberId),
        roles: ['owner'],
        aal: 2,
        stamp: '0',
        origin,
      });
      await deadline(memberId, new Date(now.getTime() - 1000).toISOString());

      expect((await store.resolve(issued!.token))?.restricted).toBeUndefined();
    });

    it('keeps the deadline the session began with where none is published', async () => {
      const memberId = randomUUID();
      const issued = await store.issue({
        member: memberOf(memberId),
        roles: ['owner'],
        aal: 1,
        stamp: '0',
        origin,
        enrolBy: new Date(now.getTime() - 1).toISOString(),
      });

      expect((await store.resolve(issued!.token))?.restricted).toBe(true);
    });
  });

  it('does not resolve a token it never issued, or one for another member', async () => {
    const { token } = await issue();

    expect(await store.resolve('A'.repeat(65))).toBeUndefined();
    expect(await store.resolve(`${'A'.repeat(22)}${token.slice(22)}`)).toBeUndefined();
    expect(await store.resolve('short')).toBeUndefined();
  });

  describe('the member’s sessions list', () => {
    it('lists each live session with where it began, never its token, the current one marked', async () => {
      const memberId = randomUUID();
      const first = await issue(memberId);
      const second = await store.issue({
        member: memberOf(memberId),
        roles: ['owner'],
        aal: 2,
        stamp: '0',
        origin: { ip: '198.51.100.2', userAgent: 'curl/8.5.0', via: 'api' },
      });

      const sessions = await store.list(memberId, first.session.id);

      expect(sessions).toHaveLength(2);
      expect(sessions).toEqual(
        expect.arrayContaining([
          {
            id: first.session.id,
            current: true,
            createdAt: now.toISOString(),
            lastUsedAt: now.toISOString(),
            ip: '203.0.113.7',
            device: 'Firefox on Linux',
            aal: 1,
            via: 'web',
          },
          expect.objectContaining({
            id: second!.session.id,
            current: false,
            device: 'curl 8.5.0',
            aal: 2,
            via: 'api',
          }),
        ]),
      );
      expect(JSON.stringify(sessions)).not.toContain(first.token);
      expect(JSON.stringify(sessions)).not.toContain(hashToken(first.token));
    });

    it('lists a session that proved a new factor as such (aal 2), and no entry of an ended one', async () => {
      const memberId = randomUUID();
      const { token, session } = await issue(memberId);

      const proven = await store.restamp(token, session, session.stamp, { proven: { method: 'webauthn' } });

      expect(await store.list(memberId, session.id)).toEqual([
        expect.objectContaining({ id: session.id, aal: 2 }),
      ]);
      await store.revokeById(memberId, session.id);
      await store.restamp(token, proven, session.stamp, { proven: { method: 'totp' } });
      expect(await store.list(memberId)).toEqual([]);
    });

    it('ends one session by its id: its token stops working, the others go on', async () => {
      const memberId = randomUUID();
      const kept = await issue(memberId);
      const ended = await issue(memberId);

      expect(await store.revokeById(memberId, ended.session.id)).toBe('Firefox on Linux');

      expect(await store.resolve(ended.token)).toBeUndefined();
      expect(await store.resolve(kept.token)).toBeDefined();
      expect((await store.list(memberId)).map((s) => s.id)).toEqual([kept.session.id]);
      expect(await store.revokeById(memberId, ended.session.id)).toBeUndefined();
    });

    it('never ends another member’s session through one’s own id space', async () => {
      const victim = await issue();

      expect(await store.revokeById(randomUUID(), victim.session.id)).toBeUndefined();
      expect(await store.resolve(victim.token)).toBeDefined();
    });

    it('signs out everywhere else, keeping only the given session', async () => {
      const memberId = randomUUID();
      const current = await issue(memberId);
      const others = [await issue(memberId), await issue(memberId)];

      expect(await store.revokeAllExcept(memberId, current.session.id)).toBe(2);

      for (const other of others) expect(await store.resolve(other.token)).toBeUndefined();
      expect(await store.resolve(current.token)).toBeDefined();
      expect((await store.list(memberId, current.session.id)).map((s) => s.id)).toEqual([current.session.id]);
    });

    it('drops sessions that ended otherwise: signed out, or the member’s stamp moved on', async () => {
      const memberId = randomUUID();
      const loggedOut = await issue(memberId);
      await issue(memberId);
      await store.revoke(loggedOut.token);
      expect(await store.list(memberId)).toHaveLength(1);

      await stamps.change([memberId], () => Promise.resolve());

      expect(await store.list(memberId)).toEqual([]);
      expect(await redis.hlen(`sessions:{${memberId}}`)).toBe(0);
    });

    it('notes when a session is used, at most once a minute, without waiting for the write', async () => {
      const memberId = randomUUID();
      const clock = { at: now };
      const moving = new SessionStore(
        redis,
        new (class extends Clock {
          now(): Date {
            return clock.at;
          }
        })(),
        config,
      );
      const { token } = (await moving.issue({
        member: memberOf(memberId),
        roles: ['owner'],
        aal: 1,
        stamp: '0',
        origin,
      }))!;
      const lastUsed = async () => (await moving.list(memberId))[0].lastUsedAt;

      clock.at = new Date(now.getTime() + 5_000);
      await moving.resolve(token);
      await waitFor(async () => (await lastUsed()) === clock.at.toISOString());

      const firstUse = clock.at.toISOString();
      clock.at = new Date(now.getTime() + 30_000);
      await moving.resolve(token);
      await new Promise((r) => setTimeout(r, 100));
      expect(await lastUsed()).toBe(firstUse);

      clock.at = new Date(now.getTime() + 70_000);
      await moving.resolve(token);
      await waitFor(async () => (await lastUsed()) === clock.at.toISOString());
    });
  });
});
