import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@twofold/contracts';
import { Redis } from 'ioredis';
import { orUnavailable } from './redis';

// Never rename (shared by three services). The braces are a Cluster hash tag: the gateway's keys
// of the member sit in the stamp's slot.
export const securityStampKey = (memberId: string): string => `member-stamp:{${memberId}}`;

/** 2FA deadline (ISO, '' = none), read per session to follow the policy in force now. Never rename. */
export const memberDeadlineKey = (memberId: string): string => `member-deadline:{${memberId}}`;

export const INITIAL_SECURITY_STAMP = '0';

/** A member a change is made to; `keep`: the stamp of the caller's own grant, to carry through it. */
export interface ChangedMember {
  id: string;
  keep?: string;
}

/** HOLD: KEYS[1] the stamp; ARGV initial, expected ('' = any), held → 1, or 0 if not expected (no write) */
const HOLD = `
if ARGV[2] ~= '' and (redis.call('GET', KEYS[1]) or ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[3])
return 1`;

/** RELEASE: KEYS[1] the stamp; ARGV held, next → 1 if it was still held (then it is `next`), else 0 */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

interface StampRedis extends Redis {
  holdStamp(key: string, initial: string, expected: string, held: string): Promise<number>;
  releaseStamp(key: string, held: string, next: string): Promise<number>;
}

const fresh = (): string => randomBytes(12).toString('base64url');

export const grantEnded = (): DomainError =>
  new DomainError(
    'unauthenticated',
    'This session ended while the change was being made: another change to the member came first, and this one was not made. Sign in again.',
  );

/** `check` it inside the change's transaction, after locking the member. */
export interface StampHold {
  check(): Promise<void>;
}

/**
 * Replaced by every change that must end earlier grants (DESIGN §1, docs/grants.md), which hold only
 * while their stamp is current. Compare-and-set, so neither of two racing changes keeps alive what the
 * other ended: held before (fail closed; with `keep`, only if still the grant's, else 401), `check`ed
 * under the member's row lock, moved on after to end the sign-ins in flight.
 */
@Injectable()
export class SecurityStamps {
  private readonly redis: StampRedis;

  constructor(redis: Redis) {
    redis.defineCommand('holdStamp', { numberOfKeys: 1, lua: HOLD });
    redis.defineCommand('releaseStamp', { numberOfKeys: 1, lua: RELEASE });
    this.redis = redis as StampRedis;
  }

  async current(memberId: string): Promise<string> {
    const stamp = await orUnavailable(() => this.redis.get(securityStampKey(memberId)), 'Sign-in');
    return stamp ?? INITIAL_SECURITY_STAMP;
  }

  /** `kept` lacks a member if another change came in between: its grant then ends too. */
  async change<T>(
    members: readonly (string | ChangedMember)[],
    run: (hold: StampHold) => Promise<T>,
  ): Promise<{ result: T; kept: Record<string, string> }> {
    const held = members
      .map((m) => (typeof m === 'string' ? { id: m } : m))
      .map((m) => ({ ...m, held: fresh() }));
    for (const m of held) {
      const taken = await orUnavailable(
        () => this.redis.holdStamp(securityStampKey(m.id), INITIAL_SECURITY_STAMP, m.keep ?? '', m.held),
        'This change',
      );
      if (!taken) throw grantEnded();
    }
    const kept = held.filter((m) => m.keep !== undefined);
    const result = await run({
      check: async () => {
        for (const m of kept) {
          const stamp = await orUnavailable(() => this.redis.get(securityStampKey(m.id)), 'This change');
          if (stamp !== m.held) throw grantEnded();
        }
      },
    });
    // The change is made: a failure from here on ends grants, it never undoes the answer.
    const next: Record<string, string> = {};
    for (const m of held) {
      const stamp = fresh();
      const key = securityStampKey(m.id);
      const released =
        m.keep === undefined
          ? this.redis.set(key, stamp).then(() => 0)
          : this.redis.releaseStamp(key, m.held, stamp);
      if ((await released.catch(() => 0)) === 1) next[m.id] = stamp;
    }
    return { result, kept: next };
  }

  /** Inside the transaction making a grant from another, member locked, so nothing slips past a change. */
  async assertCurrent(memberId: string, stamp: string): Promise<void> {
    if ((await this.current(memberId)) !== stamp) throw grantEnded();
  }
}

/** The credential's tokens live only as long as this key (deleted with the credential). Never rename. */
export const applicationCredentialKey = (memberId: string, credentialId: string): string =>
  `application-credential:{${memberId}}:${credentialId}`;
