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
const WRITE_GRANT = `
if (redis.call('GET', KEYS[2]) or ARGV[1]) ~= ARGV[2] then return 0 end
local written
if ARGV[5] == 'back' then
  written = redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4], 'NX')
elseif ARGV[5] == 'replace' then
  written = redis.call('SET', KEYS[1], ARGV[3], 'KEEPTTL', 'XX')
else
  written = redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
end
if written then return 1 end
return 0
`;

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
  takeGrant(grantKey: string, stampKey: string): Promise<[string | null, string | null]>;
}

export function defineGrantWrites(redis: Redis): void {
  redis.defineCommand('writeGrant', { numberOfKeys: 2, lua: WRITE_GRANT });
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
  keys: { grant: string; stamp: string },
  grant: { value: string; stamp: string; ttlMs: number; mode: GrantWrite },
): Promise<boolean> {
  const written = await (redis as GrantRedis).writeGrant(
    keys.grant,
    keys.stamp,
    INITIAL_SECURITY_STAMP,
    grant.stamp,
    grant.value,
    Math.max(1, Math.ceil(grant.ttlMs)),
    grant.mode,
  );
  return written === 1;
}
