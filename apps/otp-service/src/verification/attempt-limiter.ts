import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MetricsService, orUnavailable, ReplicaWaits } from '@twofold/platform';
import { Counter } from 'prom-client';
import { Redis } from 'ioredis';
import { OTP_CONFIG, type OtpConfig } from '../config/otp-config';

/**
 * The attempt script's arguments, in ARGV order: the script's prologue and each call are made from
 * this list, so a name means one position everywhere. Flags are '1' or ''; '' is "none" for the rest.
 */
const ATTEMPT_ARGS = [
  'now',
  /** The time step the code matched; -1: none. */
  'step',
  'backoff_after',
  'base_ms',
  'max_ms',
  'lock_after',
  'ttl_ms',
  'during_backoff',
  /** The version of the copy the code was checked against ('': not checked). */
  'copy_version',
  /** A version to set if there is none ('': none). */
  'fresh_version',
  'client',
  /** The window's centre before the learned drift ('': no window, a recovery code). */
  'centre',
  'resync',
  'link',
] as const;

type AttemptArgs = Record<(typeof ATTEMPT_ARGS)[number], string | number | boolean>;

const argv = (args: AttemptArgs): (string | number)[] =>
  ATTEMPT_ARGS.map((name) => {
    const value = args[name];
    return value === true ? '1' : value === false ? '' : value;
  });

/** The script's answer; trailing members are absent when they do not apply. */
type AttemptReply = [
  kind: AttemptKind,
  failures: number,
  waitMs: number,
  version: string,
  alert?: 0 | 1,
  acceptedFrom?: string,
  nowLocked?: 0 | 1,
];

/**
 * One atomic step per attempt, so that N verifier instances agree on the replay window and the lock.
 * Wrong recovery codes count even during a back-off: a right one is the way out of it.
 * The first replay of the last accepted step raises `alert`: it is the sign of a relayed (phished) code.
 * The window follows a drifting phone clock: two accepts off-centre on one side move `drift` (max ±2).
 * KEYS[1] state hash → AttemptReply
 */
const ATTEMPT_SCRIPT = `${ATTEMPT_ARGS.map((name, i) => `local ${name} = ARGV[${i + 1}]`).join('\n')}
now = tonumber(now)
step = tonumber(step)
backoff_after = tonumber(backoff_after)
base_ms = tonumber(base_ms)
max_ms = tonumber(max_ms)
lock_after = tonumber(lock_after)
ttl_ms = tonumber(ttl_ms)
during_backoff = during_backoff == '1'
local version = redis.call('HGET', KEYS[1], 'version')
if fresh_version ~= '' then
  if version == 'removed' then return {'removed', 0, 0, version} end
  if not version then
    version = fresh_version
    redis.call('HSET', KEYS[1], 'version', version)
    redis.call('PEXPIRE', KEYS[1], ttl_ms)
  end
elseif copy_version ~= '' and (version or '') ~= copy_version then return {'stale', 0, 0, ''} end
version = version or ''
link = link == '1'
local failures_field, blocked_field = 'failures', 'blocked_until'
if link then failures_field, blocked_field = 'link_failures', 'link_blocked_until' end
local state = redis.call('HMGET', KEYS[1], 'last_step', 'failures', failures_field, blocked_field)
local last_step = tonumber(state[1] or '-1')
if tonumber(state[2] or '0') >= lock_after then return {'locked', tonumber(state[2]), 0, version} end
local failures = tonumber(state[3] or '0')
local blocked_until = tonumber(state[4] or '0')
if now < blocked_until and not during_backoff then return {'backoff', failures, blocked_until - now, version} end
resync = resync == '1'
centre = tonumber(centre)
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
  redis.call('HSET', KEYS[1], 'last_step', step, failures_field, 0, blocked_field, 0, 'last_from', client,
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
local kind = 'invalid'
if step >= 0 then kind = 'replayed' end
local now_locked = 0
if failures == lock_after and not link then now_locked = 1 end
return {kind, failures, delay, version, alert, accepted_from, now_locked}
`;

/** Left in a removed credential's place, so a copy read just before the removal never gets a live version. */
export const REMOVED_VERSION = 'removed';

/** KEYS[1] state hash; ARGV the removed version, ttl_ms */
const FORGET_SCRIPT = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'version', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** KEYS[1] state hash; ARGV fresh version, ttl_ms */
const VERSION_SCRIPT = `
local version = redis.call('HGET', KEYS[1], 'version')
if not version then
  version = ARGV[1]
  redis.call('HSET', KEYS[1], 'version', version)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return version
`;

const NO_STEP = -1;

export const STATE_TTL_MS = 30 * 24 * 3600 * 1000;

export type AttemptOutcome = (
  | {
      kind: 'accepted';
      /** If false, a failover could forget the acceptance: record the step durably before it counts. */
      replicated: boolean;
    }
  | {
      kind: 'invalid' | 'replayed';
      failures: number;
      nowLocked: boolean;
      relayed?: { acceptedFrom: string | null };
    }
  | { kind: 'backoff'; retryAfterMs: number }
  | { kind: 'locked' }
  | { kind: 'stale' }
  | { kind: 'removed' }
) & {
  version: string;
};

/** What an attempt came to, one vocabulary: the script answers it, TotpCheck passes some on. */
export type AttemptKind = AttemptOutcome['kind'];

export type CopyOf =
  | { version: string }
  /** Or the stored credential, read just now; a cached copy's version '' is not checked. */
  | { read: true };

/** 'link' failures back off but never lock: a link may be held by someone without the password. */
export type Budget = 'sign_in' | 'link';

export interface AttemptOptions {
  duringBackoff?: boolean;
  copy?: CopyOf;
  from?: string | null;
  /** Centre before learned drift, or a resync (`step` and the one before it); none for a recovery code. */
  window?: { centre: number } | 'resync';
  budget?: Budget;
}

const stateKey = (credentialId: string): string => `otp:attempts:${credentialId}`;

const freshVersion = (): string => randomBytes(9).toString('base64url');

interface AttemptRedis extends Redis {
  otpAttempt(key: string, ...args: (string | number)[]): Promise<AttemptReply>;
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

  /** `step`: the time step the code matched; undefined for a wrong code. */
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
    const [kind, failures, waitMs, version, alert, acceptedFrom, nowLocked] = await this.run(() =>
      this.redis.otpAttempt(
        stateKey(credentialId),
        ...argv({
          now: now.getTime(),
          step: step ?? NO_STEP,
          backoff_after: this.config.OTP_BACKOFF_AFTER_FAILURES,
          base_ms: this.config.OTP_BACKOFF_BASE_SECONDS * 1000,
          max_ms: this.config.OTP_BACKOFF_MAX_SECONDS * 1000,
          lock_after: this.config.OTP_LOCK_AFTER_FAILURES,
          ttl_ms: STATE_TTL_MS,
          during_backoff: duringBackoff,
          copy_version: 'version' in copy ? copy.version : '',
          fresh_version: 'read' in copy ? freshVersion() : '',
          client: from ?? '',
          centre: window && window !== 'resync' ? window.centre : '',
          resync: window === 'resync',
          link: budget === 'link',
        }),
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
      case 'invalid':
      case 'replayed':
        return {
          kind,
          failures,
          nowLocked: nowLocked === 1,
          version,
          ...(alert === 1 ? { relayed: { acceptedFrom: acceptedFrom || null } } : {}),
        };
    }
  }

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

  /** The first version change fails closed (Redis down: no change); the second ends copies read meanwhile. */
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

  versionForCopy(credentialId: string): Promise<string> {
    return this.run(() => this.redis.otpVersion(stateKey(credentialId), freshVersion(), STATE_TTL_MS));
  }

  /** The failures counted under `key`, whether they reached the lock (a member without an app's), the back-off's end. */
  async standing(key: string): Promise<{ failures: number; locked: boolean; blockedUntil: number }> {
    const [failures, blockedUntil] = (
      await this.run(() => this.redis.hmget(stateKey(key), 'failures', 'blocked_until'))
    ).map(Number);
    return {
      failures: failures ?? 0,
      locked: (failures ?? 0) >= this.config.OTP_LOCK_AFTER_FAILURES,
      blockedUntil: blockedUntil ?? 0,
    };
  }

  /** The steps the attempt script moved the credential's window by, beyond its stored base. */
  async learnedDrift(credentialId: string): Promise<number> {
    return Number((await this.run(() => this.redis.hget(stateKey(credentialId), 'drift'))) ?? 0);
  }

  /** Clears failures and back-off (a recovery code was used); the replay window stays. */
  async resetFailures(credentialId: string): Promise<void> {
    await this.run(() => this.redis.hset(stateKey(credentialId), 'failures', 0, 'blocked_until', 0));
  }

  async forget(credentialId: string): Promise<void> {
    await this.run(() => this.redis.otpForget(stateKey(credentialId), REMOVED_VERSION, STATE_TTL_MS));
  }

  /** Replication is asynchronous: a replica promoted right after an accept would accept the code again. */
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
