import { INITIAL_SECURITY_STAMP } from '@twofold/platform';
import { type Redis } from 'ioredis';

/**
 * Writes a grant (a session, a pending sign-in) only while the member's security stamp is still
 * the one its sign-in read: a grant never outlives a change made while it was being issued.
 *
 * KEYS[1] the grant, KEYS[2] the member's stamp
 * ARGV initial stamp, expected stamp, value, time to live (ms), mode: 'new' | 'back' (only if
 *      absent) | 'replace' (only if present, keeping its expiry)
 * → 1 written, 0 not (stale stamp, or the mode's condition failed)
 */
const WRITE = `
if (redis.call('GET', KEYS[2]) or ARGV[1]) ~= ARGV[2] then return 0 end
local written
if ARGV[5] == 'back' then
  written = redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4], 'NX')
elseif ARGV[5] == 'replace' then
  written = redis.call('SET', KEYS[1], ARGV[3], 'KEEPTTL', 'XX')
else
  written = redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
end
if not written then return 0 end
`;
const WRITE_GRANT = `${WRITE}return 1`;

/**
 * The same, for a grant listed in its member's index (the sessions list): a new grant's entry
 * is written with it, and the index lives as long as its longest-lived entry.
 * KEYS[3] the index hash; ARGV[6] the entry's field, ARGV[7] its value
 */
const WRITE_INDEXED_GRANT = `${WRITE}
if ARGV[5] == 'new' then
  redis.call('HSET', KEYS[3], ARGV[6], ARGV[7])
  if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[3], ARGV[4]) end
end
return 1`;

/**
 * Takes a single-use grant out (only one caller gets it) with the member's stamp as of that
 * moment. KEYS[1] the grant, KEYS[2] the member's stamp → { grant or false, stamp or false }
 */
const TAKE_GRANT = `
return { redis.call('GETDEL', KEYS[1]), redis.call('GET', KEYS[2]) }
`;

export type GrantWrite = 'new' | 'back' | 'replace';

interface GrantRedis extends Redis {
  writeGrant(grantKey: string, stampKey: string, ...args: (string | number)[]): Promise<number>;
  writeIndexedGrant(
    grantKey: string,
    stampKey: string,
    indexKey: string,
    ...args: (string | number)[]
  ): Promise<number>;
  takeGrant(grantKey: string, stampKey: string): Promise<[string | null, string | null]>;
}

export function defineGrantWrites(redis: Redis): void {
  redis.defineCommand('writeGrant', { numberOfKeys: 2, lua: WRITE_GRANT });
  redis.defineCommand('writeIndexedGrant', { numberOfKeys: 3, lua: WRITE_INDEXED_GRANT });
  redis.defineCommand('takeGrant', { numberOfKeys: 2, lua: TAKE_GRANT });
}

/** The grant, taken (gone for everyone else), and the member's current stamp. */
export async function takeGrant(
  redis: Redis,
  keys: { grant: string; stamp: string },
): Promise<{ value: string | null; stamp: string | null }> {
  const [value, stamp] = await (redis as GrantRedis).takeGrant(keys.grant, keys.stamp);
  return { value: value || null, stamp: stamp || null };
}

export async function writeGrant(
  redis: Redis,
  keys: { grant: string; stamp: string; index?: string },
  grant: {
    value: string;
    stamp: string;
    ttlMs: number;
    mode: GrantWrite;
    /** The grant's entry in keys.index (written with a new grant only). */
    entry?: { field: string; value: string };
  },
): Promise<boolean> {
  const args = [
    INITIAL_SECURITY_STAMP,
    grant.stamp,
    grant.value,
    Math.max(1, Math.ceil(grant.ttlMs)),
    grant.mode,
  ] as const;
  const written =
    keys.index && grant.entry
      ? await (redis as GrantRedis).writeIndexedGrant(
          keys.grant,
          keys.stamp,
          keys.index,
          ...args,
          grant.entry.field,
          grant.entry.value,
        )
      : await (redis as GrantRedis).writeGrant(keys.grant, keys.stamp, ...args);
  return written === 1;
}
