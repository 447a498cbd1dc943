import { INITIAL_SECURITY_STAMP } from '@twofold/platform';
import { type Redis } from 'ioredis';

// A grant (session, pending sign-in) never outlives a stamp change made while it was being issued.
// KEYS grant, member's stamp; ARGV initial stamp, expected stamp, value, ttl (ms), mode ('back': only if
// absent; 'replace': only if present, keeping its expiry) → 1 written, 0 not.
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

// The same, also writing the grant's entry in its member's index (KEYS[3], ARGV[6-7]) and noting its
// device among the member's known devices (KEYS[4]; ARGV[8-10] device, now, ms remembered; least recently
// seen dropped past DEVICES_MAX) → 1 written, 2 written to a new device, 3 to the member's first device.
const DEVICES_MAX = 50;
const WRITE_INDEXED_GRANT = `${WRITE}
if ARGV[5] ~= 'new' then return 1 end
redis.call('HSET', KEYS[3], ARGV[6], ARGV[7])
if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[3], ARGV[4]) end
if ARGV[8] == '' then return 1 end
local known = redis.call('HLEN', KEYS[4])
local added = redis.call('HSET', KEYS[4], ARGV[8], ARGV[9])
redis.call('PEXPIRE', KEYS[4], ARGV[10])
if added == 0 then return 1 end
if known == 0 then return 3 end
if known >= ${DEVICES_MAX} then
  local all = redis.call('HGETALL', KEYS[4])
  local oldest, at = nil, nil
  for i = 1, #all, 2 do
    if oldest == nil or tonumber(all[i + 1]) < at then oldest, at = all[i], tonumber(all[i + 1]) end
  end
  redis.call('HDEL', KEYS[4], oldest)
end
return 2`;

/** GETDEL: only one caller gets a single-use grant, with the member's stamp as of that moment. */
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
    devicesKey: string,
    ...args: (string | number)[]
  ): Promise<number>;
  takeGrant(grantKey: string, stampKey: string): Promise<[string | null, string | null]>;
}

export function defineGrantWrites(redis: Redis): void {
  redis.defineCommand('writeGrant', { numberOfKeys: 2, lua: WRITE_GRANT });
  redis.defineCommand('writeIndexedGrant', { numberOfKeys: 4, lua: WRITE_INDEXED_GRANT });
  redis.defineCommand('takeGrant', { numberOfKeys: 2, lua: TAKE_GRANT });
}

export async function takeGrant(
  redis: Redis,
  keys: { grant: string; stamp: string },
): Promise<{ value: string | null; stamp: string | null }> {
  const [value, stamp] = await (redis as GrantRedis).takeGrant(keys.grant, keys.stamp);
  return { value: value || null, stamp: stamp || null };
}

export type GrantWritten = false | 'written' | 'new_device' | 'first_device';
const WRITTEN: Record<number, GrantWritten> = { 1: 'written', 2: 'new_device', 3: 'first_device' };

export async function writeGrant(
  redis: Redis,
  keys: { grant: string; stamp: string; index?: string; devices?: string },
  grant: {
    value: string;
    stamp: string;
    ttlMs: number;
    mode: GrantWrite;
    entry?: { field: string; value: string };
    device?: { key: string; now: number; rememberMs: number };
  },
): Promise<GrantWritten> {
  const args = [
    INITIAL_SECURITY_STAMP,
    grant.stamp,
    grant.value,
    Math.max(1, Math.ceil(grant.ttlMs)),
    grant.mode,
  ] as const;
  const written =
    keys.index && keys.devices && grant.entry
      ? await (redis as GrantRedis).writeIndexedGrant(
          keys.grant,
          keys.stamp,
          keys.index,
          keys.devices,
          ...args,
          grant.entry.field,
          grant.entry.value,
          grant.device?.key ?? '',
          grant.device?.now ?? 0,
          grant.device?.rememberMs ?? 1,
        )
      : await (redis as GrantRedis).writeGrant(keys.grant, keys.stamp, ...args);
  return WRITTEN[written] ?? false;
}
