import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MetricsService, orUnavailable, ReplicaWaits } from '@twofold/platform';
import { Counter } from 'prom-client';
import { Redis } from 'ioredis';
import { OTP_CONFIG, type OtpConfig } from '../config/otp-config';

/**
 * One atomic step per attempt, so that N verifier instances agree (RFC 6238 §5.2, NIST SP
 * 800-63B §5.2.2): refuse while locked or backing off; accept a matching step only if it is
 * above the last accepted one (replay), recording it; otherwise count a failure and set the
 * growing back-off, reporting the moment the hard lock is reached.
 *
 * A wrong recovery code is counted even during a back-off: recovery codes are evaluated then
 * (a right one is the way out), so their failures must count toward the lock too.
 *
 * The same hash holds the credential's `version`, changed with every change of the stored
 * credential (lock, unlock, new sealing, removal): an attempt made with a cached copy names the
 * version it was read at, and is answered `stale` (changing nothing) when that is no longer it.
 *
 * An attempt made with a credential just read from Postgres names no version but a fresh one
 * instead: the script answers with the credential's version (giving it the fresh one if it had
 * none), for the copy to be kept under — or `removed`, counting nothing, if the credential was
 * removed since it was read.
 *
 * A code of the step last accepted, presented again, is the sign of a relayed (phished) code:
 * the first such replay of each step says so (`alert` 1) with where the code was accepted from.
 *
 * Clock drift: a code is accepted only within one step of `centre` (now, moved by the
 * credential's resync base) plus the drift learned here (`drift`, at most ±2). When accepted
 * codes land one step off-centre twice in a row on the same side (`hint`), the drift moves one
 * step that way: the window follows a phone whose clock runs off, and stays three steps wide.
 * A matched step outside the window counts as a wrong code. A resync (`mode` resync) takes the
 * step of the second of two consecutive codes found by the caller: both must be unused, and the
 * learned drift starts again from 0 (the caller moves the base).
 *
 * Codes presented with an e-mailed link (a password reset, a resync link) come from someone who
 * may hold only the mailbox: they are counted on a budget of their own (`link_failures`,
 * `link_blocked_until`), with the same back-off, and never toward the lock, so that they can
 * neither slow nor lock the member's sign-in. The replay window is one for both.
 *
 * KEYS[1] state hash { last_step, last_from, alerted_step, failures, blocked_until, version, drift,
 *      hint, link_failures, link_blocked_until }
 * ARGV now_ms, step (-1: no match), backoff_after, base_ms, max_ms, lock_after, ttl_ms,
 *      during_backoff (1: count this failure even while backing off), version ('': not checked),
 *      fresh version ('': none; the credential was just read), the client's address ('': unknown),
 *      centre ('': no window: a recovery code's failure), mode ('' or 'resync'),
 *      budget ('' the member's sign-in, 'link' an e-mailed link's)
 * → { outcome, failures, delay_ms, version, alert (0|1), accepted_from }
 */
const ATTEMPT_SCRIPT = `
local now = tonumber(ARGV[1])
local step = tonumber(ARGV[2])
local backoff_after = tonumber(ARGV[3])
local base_ms = tonumber(ARGV[4])
local max_ms = tonumber(ARGV[5])
local lock_after = tonumber(ARGV[6])
local ttl_ms = tonumber(ARGV[7])
local during_backoff = ARGV[8] == '1'
local version = redis.call('HGET', KEYS[1], 'version')
if ARGV[10] ~= '' then
  if version == 'removed' then return {'removed', 0, 0, version} end
  if not version then
    version = ARGV[10]
    redis.call('HSET', KEYS[1], 'version', version)
    redis.call('PEXPIRE', KEYS[1], ARGV[7])
  end
elseif ARGV[9] ~= '' and (version or '') ~= ARGV[9] then return {'stale', 0, 0, ''} end
version = version or ''
local link = ARGV[14] == 'link'
local failures_field, blocked_field = 'failures', 'blocked_until'
if link then failures_field, blocked_field = 'link_failures', 'link_blocked_until' end
local state = redis.call('HMGET', KEYS[1], 'last_step', 'failures', failures_field, blocked_field)
local last_step = tonumber(state[1] or '-1')
if tonumber(state[2] or '0') >= lock_after then return {'locked', tonumber(state[2]), 0, version} end
local failures = tonumber(state[3] or '0')
local blocked_until = tonumber(state[4] or '0')
if now < blocked_until and not during_backoff then return {'backoff', failures, blocked_until - now, version} end
local resync = ARGV[13] == 'resync'
local centre = tonumber(ARGV[12])
local drift = tonumber(redis.call('HGET', KEYS[1], 'drift') or '0')
if step >= 0 and centre and not resync and math.abs(step - (centre + drift)) > 1 then step = -1 end
local fresh = step > last_step
if resync then fresh = step - 1 > last_step end
if step >= 0 and fresh then
  local hint = 0
  if resync then
    drift = 0
  elseif centre then
    local delta = step - (centre + drift)
    hint = tonumber(redis.call('HGET', KEYS[1], 'hint') or '0')
    if delta == 0 then
      hint = 0
    elseif delta == hint then
      drift = math.max(-2, math.min(2, drift + delta))
      hint = 0
    else
      hint = delta
    end
  end
  redis.call('HSET', KEYS[1], 'last_step', step, failures_field, 0, blocked_field, 0, 'last_from', ARGV[11],
    'drift', drift, 'hint', hint)
  redis.call('PEXPIRE', KEYS[1], ttl_ms)
  return {'accepted', 0, 0, version, 0, ''}
end
local alert = 0
local accepted_from = ''
if step >= 0 and step == last_step then
  local seen = redis.call('HMGET', KEYS[1], 'alerted_step', 'last_from')
  accepted_from = seen[2] or ''
  if tonumber(seen[1] or '-1') ~= step then
    redis.call('HSET', KEYS[1], 'alerted_step', step)
    alert = 1
  end
end
failures = failures + 1
local delay = 0
if failures >= backoff_after then
  delay = math.min(base_ms * math.pow(2, failures - backoff_after), max_ms)
end
redis.call('HSET', KEYS[1], failures_field, failures, blocked_field, now + delay)
redis.call('PEXPIRE', KEYS[1], ttl_ms)
local outcome = 'invalid'
if step >= 0 then outcome = 'replayed' end
if failures == lock_after and not link then outcome = outcome .. '_now_locked' end
return {outcome, failures, delay, version, alert, accepted_from}
`;

/**
 * The version of a removed credential: its state is dropped and this left in its place, so that
 * a copy read from Postgres just before the removal can never be given a live version.
 */
export const REMOVED_VERSION = 'removed';

/** KEYS[1] state hash; ARGV the removed version, ttl_ms */
const FORGET_SCRIPT = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'version', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/**
 * The version under which a copy of a credential just read (or just turned on) may be kept:
 * the current one, or the fresh one given if it had none (`removed` if it was removed).
 *
 * KEYS[1] state hash; ARGV fresh version, ttl_ms
 */
const VERSION_SCRIPT = `
local version = redis.call('HGET', KEYS[1], 'version')
if not version then
  version = ARGV[1]
  redis.call('HSET', KEYS[1], 'version', version)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return version
`;

/** The step argument for an attempt that matched no step. */
const NO_STEP = -1;

/** Counters and replay windows (and copies of credentials) are kept this long after the last attempt. */
export const STATE_TTL_MS = 30 * 24 * 3600 * 1000;

export type AttemptOutcome = (
  | {
      kind: 'accepted';
      /**
       * Whether OTP_ACCEPT_REPLICAS replicas hold the acceptance (always, when none is asked):
       * if not, a failover could forget it, and the step must be recorded durably before it counts.
       */
      replicated: boolean;
    }
  | {
      kind: 'invalid' | 'replayed';
      failures: number;
      nowLocked: boolean;
      /** The first replay of the step last accepted: where that code was accepted from. */
      relayed?: { acceptedFrom: string | null };
    }
  | { kind: 'backoff'; retryAfterMs: number }
  | { kind: 'locked' }
  | { kind: 'stale' }
  | { kind: 'removed' }
) & {
  /** The credential's version now ('' when it was not asked for). */
  version: string;
};

/** How an attempt names the credential it was checked against. */
export type CopyOf =
  /** A cached copy of this version ('': none, not checked). */
  | { version: string }
  /** The stored credential, read just now. */
  | { read: true };

/**
 * Whose failures an attempt counts toward: the member's sign-in (back-off and lock), or the
 * e-mailed links' (back-off only: the link may be held by someone without the password).
 */
export type Budget = 'sign_in' | 'link';

export interface AttemptOptions {
  /** Count this failure even while backing off (a wrong recovery code). */
  duringBackoff?: boolean;
  copy?: CopyOf;
  /** The client's address, kept with an accepted step (reported if the code is relayed). */
  from?: string | null;
  /**
   * The step the credential's window is centred on before its learned drift (or a resync, which
   * takes `step` and the one before it); none for a recovery code's failure.
   */
  window?: { centre: number } | 'resync';
  budget?: Budget;
}

const stateKey = (credentialId: string): string => `otp:attempts:${credentialId}`;

const freshVersion = (): string => randomBytes(9).toString('base64url');

interface AttemptRedis extends Redis {
  otpAttempt(
    key: string,
    ...args: (string | number)[]
  ): Promise<[string, number, number, string, number, string]>;
  otpForget(key: string, removed: string, ttlMs: number): Promise<number>;
  otpVersion(key: string, fresh: string, ttlMs: number): Promise<string>;
}

@Injectable()
export class AttemptLimiter {
  private readonly redis: AttemptRedis;

  private readonly unreplicated: Counter;
  private readonly replicaWaits: ReplicaWaits;

  constructor(
    redis: Redis,
    @Inject(OTP_CONFIG)
    private readonly config: Pick<
      OtpConfig,
      | 'OTP_BACKOFF_AFTER_FAILURES'
      | 'OTP_BACKOFF_BASE_SECONDS'
      | 'OTP_BACKOFF_MAX_SECONDS'
      | 'OTP_LOCK_AFTER_FAILURES'
      | 'OTP_ACCEPT_REPLICAS'
      | 'OTP_ACCEPT_REPLICA_WAIT_MS'
      | 'OTP_ACCEPT_NEW_MASTER_SECONDS'
    >,
    metrics: MetricsService,
  ) {
    redis.defineCommand('otpAttempt', { numberOfKeys: 1, lua: ATTEMPT_SCRIPT });
    redis.defineCommand('otpForget', { numberOfKeys: 1, lua: FORGET_SCRIPT });
    redis.defineCommand('otpVersion', { numberOfKeys: 1, lua: VERSION_SCRIPT });
    this.redis = redis as AttemptRedis;
    this.replicaWaits = new ReplicaWaits(redis, config.OTP_ACCEPT_NEW_MASTER_SECONDS * 1000);
    this.unreplicated = new Counter({
      name: 'twofold_otp_unreplicated_accepts_total',
      help: 'Codes accepted while fewer than OTP_ACCEPT_REPLICAS Redis replicas confirmed it in time (recorded in PostgreSQL instead)',
      registers: [metrics.registry],
    });
  }

  /**
   * Records an attempt: `step` is the time step the code matched, or undefined for a wrong code.
   */
  async attempt(
    credentialId: string,
    step: number | undefined,
    now: Date,
    options: AttemptOptions = {},
  ): Promise<AttemptOutcome> {
    const {
      duringBackoff = false,
      copy = { version: '' },
      from = null,
      window,
      budget = 'sign_in',
    } = options;
    const [kind, failures, waitMs, version, alert, acceptedFrom] = await this.run(() =>
      this.redis.otpAttempt(
        stateKey(credentialId),
        now.getTime(),
        step ?? NO_STEP,
        this.config.OTP_BACKOFF_AFTER_FAILURES,
        this.config.OTP_BACKOFF_BASE_SECONDS * 1000,
        this.config.OTP_BACKOFF_MAX_SECONDS * 1000,
        this.config.OTP_LOCK_AFTER_FAILURES,
        STATE_TTL_MS,
        duringBackoff ? 1 : 0,
        'version' in copy ? copy.version : '',
        'read' in copy ? freshVersion() : '',
        from ?? '',
        window && window !== 'resync' ? window.centre : '',
        window === 'resync' ? 'resync' : '',
        budget === 'link' ? 'link' : '',
      ),
    );
    switch (kind) {
      case 'accepted':
        return { kind, version, replicated: await this.replicated(credentialId) };
      case 'backoff':
        return { kind, retryAfterMs: waitMs, version };
      case 'locked':
      case 'stale':
      case 'removed':
        return { kind, version };
      default: {
        const nowLocked = kind.endsWith('_now_locked');
        return {
          kind: kind.startsWith('replayed') ? 'replayed' : 'invalid',
          failures,
          nowLocked,
          version,
          ...(alert === 1 ? { relayed: { acceptedFrom: acceptedFrom || null } } : {}),
        };
      }
    }
  }

  /** A wrong recovery code: no time step, and counted during a back-off too. */
  async recordRecoveryCodeFailure(
    credentialId: string,
    now: Date,
    budget: Budget = 'sign_in',
  ): Promise<{ nowLocked: boolean; failures: number }> {
    const outcome = await this.attempt(credentialId, undefined, now, { duringBackoff: true, budget });
    return outcome.kind === 'invalid'
      ? { nowLocked: outcome.nowLocked, failures: outcome.failures }
      : { nowLocked: false, failures: 0 };
  }

  /**
   * Runs a change of stored credentials between two changes of their versions: the first fails
   * closed (Redis down: no change), the second ends the copies read while it was made.
   */
  async aroundChange<T>(credentialIds: string[], change: () => Promise<T>): Promise<T> {
    await this.changeVersions(credentialIds);
    const result = await change();
    await this.changeVersions(credentialIds);
    return result;
  }

  private async changeVersions(credentialIds: string[]): Promise<void> {
    await this.run(() =>
      Promise.all(credentialIds.map((id) => this.redis.hset(stateKey(id), 'version', freshVersion()))),
    );
  }

  /** The version for a copy of a credential read, or turned on, just before (see VERSION_SCRIPT). */
  versionForCopy(credentialId: string): Promise<string> {
    return this.run(() => this.redis.otpVersion(stateKey(credentialId), freshVersion(), STATE_TTL_MS));
  }

  /** Clears failures and back-off (a recovery code was used); the replay window stays. */
  async resetFailures(credentialId: string): Promise<void> {
    await this.run(() => this.redis.hset(stateKey(credentialId), 'failures', 0, 'blocked_until', 0));
  }

  /** Forgets the credential's counters (disabled or reset), leaving the removed version. */
  async forget(credentialId: string): Promise<void> {
    await this.run(() => this.redis.otpForget(stateKey(credentialId), REMOVED_VERSION, STATE_TTL_MS));
  }

  /**
   * Whether the acceptance just recorded is on OTP_ACCEPT_REPLICAS replicas of its master. Redis
   * replicates asynchronously: a master that fails right after accepting a code could hand over
   * to a replica that never saw it, which would accept the code again.
   */
  private async replicated(credentialId: string): Promise<boolean> {
    const wanted = this.config.OTP_ACCEPT_REPLICAS;
    if (wanted === 0) return true;
    const holding = await this.run(() =>
      this.replicaWaits.holding(stateKey(credentialId), wanted, this.config.OTP_ACCEPT_REPLICA_WAIT_MS),
    );
    if (holding >= wanted) return true;
    this.unreplicated.inc();
    return false;
  }

  /** Redis is the replay guard: if it cannot answer, nothing is accepted (fail closed). */
  private run<T>(call: () => Promise<T>): Promise<T> {
    return orUnavailable(call, 'The second factor');
  }
}
