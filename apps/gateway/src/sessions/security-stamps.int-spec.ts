import { randomUUID } from 'node:crypto';
import { DomainError } from '@twofold/contracts';
import { deleteTestKeys, runId, TEST_REDIS } from '@twofold/testing';
import { createRedisClient, SecurityStamps, securityStampKey } from '@twofold/platform';
import { type Redis } from 'ioredis';

/** The platform's SecurityStamps, on the Redis the gateway reads stamps from. */
describe(SecurityStamps.name, () => {
  const prefix = `${runId()}:`;
  let redis: Redis;
  let stamps: SecurityStamps;

  beforeAll(async () => {
    redis = createRedisClient(TEST_REDIS, prefix, 'security-stamps-test');
    await redis.connect();
    stamps = new SecurityStamps(redis);
  });

  afterAll(async () => {
    await deleteTestKeys(`${prefix}*`);
    redis.disconnect();
  });

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'made',
      (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
    );

  describe('change', () => {
    it('replaces the stamp, and gives a kept grant the new one', async () => {
      const id = randomUUID();
      const before = await stamps.current(id);

      const { kept } = await stamps.change([{ id, keep: before }], () => Promise.resolve());

      expect(kept[id]).toBeDefined();
      expect(await stamps.current(id)).toBe(kept[id]);
    });

    it('refuses a change from a grant whose stamp moved on, without running it', async () => {
      const id = randomUUID();
      const stale = await stamps.current(id);
      await stamps.change([id], () => Promise.resolve());
      const now = await stamps.current(id);
      let ran = false;

      const outcome = await refusal(
        stamps.change([{ id, keep: stale }], () => {
          ran = true;
          return Promise.resolve();
        }),
      );

      expect([outcome, ran]).toEqual(['unauthenticated', false]);
      expect(await stamps.current(id)).toBe(now);
    });

    it('rolls a kept change back when another change held the stamp while it ran', async () => {
      const id = randomUUID();
      const mine = await stamps.current(id);

      const outcome = await refusal(
        stamps.change([{ id, keep: mine }], async (hold) => {
          await stamps.change([id], () => Promise.resolve());
          await hold.check();
        }),
      );

      expect(outcome).toBe('unauthenticated');
    });

    it('gives a kept grant no stamp when another change came after its check', async () => {
      const id = randomUUID();
      const mine = await stamps.current(id);

      const { kept } = await stamps.change([{ id, keep: mine }], async (hold) => {
        await hold.check();
        await stamps.change([id], () => Promise.resolve());
      });

      expect(kept[id]).toBeUndefined();
      expect(await stamps.current(id)).not.toBe(mine);
    });

    it('of 20 racing changes kept by one grant, exactly one is made', async () => {
      const id = randomUUID();
      const mine = await stamps.current(id);
      let made = 0;

      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () =>
          refusal(
            stamps.change([{ id, keep: mine }], async (hold) => {
              await hold.check();
              made += 1;
            }),
          ),
        ),
      );

      expect(made).toBe(1);
      expect(outcomes.filter((o) => o === 'made')).toHaveLength(1);
    });

    it('ends grants even when Redis fails after the change was made', async () => {
      const id = randomUUID();
      const before = await stamps.current(id);

      await stamps.change([id], async () => {
        await redis.set(securityStampKey(id), 'changed meanwhile');
      });

      expect(await stamps.current(id)).not.toBe(before);
    });
  });

  describe('assertCurrent', () => {
    it('passes for the member’s stamp and refuses any other', async () => {
      const id = randomUUID();
      const stamp = await stamps.current(id);

      await expect(stamps.assertCurrent(id, stamp)).resolves.toBeUndefined();
      await stamps.change([id], () => Promise.resolve());
      expect(await refusal(stamps.assertCurrent(id, stamp))).toBe('unauthenticated');
    });
  });
});
