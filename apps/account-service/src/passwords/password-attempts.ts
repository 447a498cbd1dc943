import { Inject, Injectable } from '@nestjs/common';
import { Clock, orUnavailable } from '@twofold/platform';
import { Redis } from 'ioredis';
import { ACCOUNT_CONFIG, type AccountConfig } from '../config/account-config';

/**
 * One hash per login, unknown ones alike. `a:<address>` = "failures:blocked_until:last:busy_until": one address
 * never nears the login's lock, so an attacker cannot keep the member out; the lease serialises checks per
 * address, so each knows every earlier outcome. `failures`: all addresses, counted at the start; at
 * `lock_after` the login locks until cleared (no expiry if `known`). ARGV now_ms, address, lock_after,
 * lease_ms, ttl_ms, mode, known
 */
const BEGIN_SCRIPT = `
local now = tonumber(ARGV[1])
local field = 'a:' .. ARGV[2]
local lock_after = tonumber(ARGV[3])
local lease_ms = tonumber(ARGV[4])
local mode = ARGV[6]
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
if failures >= lock_after and mode == 'sign_in' then return {'locked', 0} end
local f, blocked, last, busy = 0, 0, now, 0
local state = redis.call('HGET', KEYS[1], field)
if state then
  local a, b, c, d = string.match(state, '^(%d+):(%d+):(%d+):(%d+)$')
  f, blocked, last, busy = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
end
if now < blocked then return {'backoff', blocked - now} end
if now < busy then return {'busy', busy - now} end
if mode ~= 'address' then failures = failures + 1 end
redis.call('HSET', KEYS[1], 'failures', failures, field, f .. ':' .. blocked .. ':' .. last .. ':' .. (now + lease_ms))
if failures >= lock_after and ARGV[7] == '1' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
return {'go', failures}
`;

/** ARGV now_ms, address, backoff_after, base_ms, max_ms, address_stop, address_window_ms, lock_after, ttl_ms */
const FAILED_SCRIPT = `
local now = tonumber(ARGV[1])
local field = 'a:' .. ARGV[2]
local backoff_after = tonumber(ARGV[3])
local address_stop = tonumber(ARGV[6])
local window_ms = tonumber(ARGV[7])
local f = 0
local state = redis.call('HGET', KEYS[1], field)
if state then
  local a, b, last = string.match(state, '^(%d+):(%d+):(%d+):')
  if now - tonumber(last) <= window_ms then f = tonumber(a) end
end
f = f + 1
local delay = 0
if f >= address_stop then
  delay = window_ms
elseif f >= backoff_after then
  delay = math.min(tonumber(ARGV[4]) * math.pow(2, f - backoff_after), tonumber(ARGV[5]))
end
redis.call('HSET', KEYS[1], field, f .. ':' .. (now + delay) .. ':' .. now .. ':0')
if redis.call('TTL', KEYS[1]) ~= -1 then redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[9]), window_ms)) end
return f
`;

/** KEYS[1] the login's hash; ARGV lock_after → 1 if it was locked. Clears every counter. */
const CLEAR_SCRIPT = `
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
redis.call('DEL', KEYS[1])
if failures >= tonumber(ARGV[1]) then return 1 end
return 0
`;

const STATE_TTL_MS = 24 * 3600 * 1000;
/** How long one check may hold its address's turn (a crashed check gives it back by itself). */
const LEASE_MS = 2000;
const MAX_WAIT_MS = 5000;

export type PasswordAttempt =
  { kind: 'go'; loginFailures: number } | { kind: 'backoff'; retryAfterMs: number } | { kind: 'locked' };

interface AttemptsRedis extends Redis {
  passwordAttemptBegin(key: string, ...args: (string | number)[]): Promise<[string, number]>;
  passwordAttemptFailed(key: string, ...args: (string | number)[]): Promise<number>;
  passwordAttemptsClear(key: string, lockAfter: number): Promise<number>;
}

/** The hash tag keeps a login's counters in one Redis Cluster slot (one key, so one script). */
const attemptsKey = (subject: string): string => `password-attempts:{${subject}}`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

@Injectable()
export class PasswordAttempts {
  private readonly redis: AttemptsRedis;

  constructor(
    redis: Redis,
    private readonly clock: Clock,
    @Inject(ACCOUNT_CONFIG)
    private readonly config: Pick<
      AccountConfig,
      | 'PASSWORD_BACKOFF_AFTER_FAILURES'
      | 'PASSWORD_BACKOFF_BASE_SECONDS'
      | 'PASSWORD_BACKOFF_MAX_SECONDS'
      | 'PASSWORD_ADDRESS_STOP_AFTER_FAILURES'
      | 'PASSWORD_ADDRESS_WINDOW_SECONDS'
      | 'PASSWORD_LOCK_AFTER_FAILURES'
    >,
  ) {
    redis.defineCommand('passwordAttemptBegin', { numberOfKeys: 1, lua: BEGIN_SCRIPT });
    redis.defineCommand('passwordAttemptFailed', { numberOfKeys: 1, lua: FAILED_SCRIPT });
    redis.defineCommand('passwordAttemptsClear', { numberOfKeys: 1, lua: CLEAR_SCRIPT });
    this.redis = redis as AttemptsRedis;
  }

  /**
   * Must end with `failed` or `clear`. `reauthentication` ignores the lock, so attackers cannot also lock the
   * member out of its settings; `address` never locks: a generated secret cannot be guessed.
   */
  async begin(
    subject: string,
    address: string | null,
    options: { mode?: 'sign_in' | 'reauthentication' | 'address'; known: boolean },
  ): Promise<PasswordAttempt> {
    const waitUntil = performance.now() + MAX_WAIT_MS;
    for (;;) {
      const [kind, value] = await this.run(() =>
        this.redis.passwordAttemptBegin(
          attemptsKey(subject),
          this.clock.now().getTime(),
          address ?? 'unknown',
          this.config.PASSWORD_LOCK_AFTER_FAILURES,
          LEASE_MS,
          STATE_TTL_MS,
          options.mode ?? 'sign_in',
          options.known ? 1 : 0,
        ),
      );
      if (kind === 'go') return { kind, loginFailures: value };
      if (kind === 'backoff') return { kind, retryAfterMs: value };
      if (kind === 'locked') return { kind };
      if (performance.now() > waitUntil) return { kind: 'backoff', retryAfterMs: 1000 };
      await sleep(Math.min(value, 5 + Math.random() * 10));
    }
  }

  async failed(subject: string, address: string | null): Promise<void> {
    const c = this.config;
    await this.run(() =>
      this.redis.passwordAttemptFailed(
        attemptsKey(subject),
        this.clock.now().getTime(),
        address ?? 'unknown',
        c.PASSWORD_BACKOFF_AFTER_FAILURES,
        c.PASSWORD_BACKOFF_BASE_SECONDS * 1000,
        c.PASSWORD_BACKOFF_MAX_SECONDS * 1000,
        c.PASSWORD_ADDRESS_STOP_AFTER_FAILURES,
        c.PASSWORD_ADDRESS_WINDOW_SECONDS * 1000,
        c.PASSWORD_LOCK_AFTER_FAILURES,
        STATE_TTL_MS,
      ),
    );
  }

  locks(attempt: { loginFailures: number }): boolean {
    return attempt.loginFailures === this.config.PASSWORD_LOCK_AFTER_FAILURES;
  }

  async clear(subject: string): Promise<boolean> {
    const wasLocked = await this.run(() =>
      this.redis.passwordAttemptsClear(attemptsKey(subject), this.config.PASSWORD_LOCK_AFTER_FAILURES),
    );
    return wasLocked === 1;
  }

  async isLocked(subject: string): Promise<boolean> {
    const failures = await this.run(() => this.redis.hget(attemptsKey(subject), 'failures'));
    return Number(failures ?? 0) >= this.config.PASSWORD_LOCK_AFTER_FAILURES;
  }

  /** No counter, no check: without Redis a password is not checked at all (fail closed). */
  private run<T>(call: () => Promise<T>): Promise<T> {
    return orUnavailable(call, 'Sign-in');
  }
}
