import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@twofold/contracts';
import { Redis } from 'ioredis';
import { orUnavailable } from './redis';

/**
 * Where a member's security stamp lives. Never rename: account-service and otp-service change
 * it, the gateway reads it. The braces are a Redis Cluster hash tag, so the gateway's keys of
 * the same member (its sessions and pending sign-ins) sit in the same slot as the stamp.
 */
export const securityStampKey = (memberId: string): string => `member-stamp:{${memberId}}`;

/**
 * A member's 2FA deadline under its account's policy as it stands now (an ISO time, or '' for
 * none), beside its stamp: account-service writes it whenever the policy or the member changes,
 * and the gateway reads it with every session, so that sessions follow the policy in force now.
 * Never rename.
 */
export const memberDeadlineKey = (memberId: string): string => `member-deadline:{${memberId}}`;

/** The stamp of a member whose grants were never invalidated. */
export const INITIAL_SECURITY_STAMP = '0';

/** A member a change is made to; `keep`: the stamp of the caller's own grant, to carry through it. */
export interface ChangedMember {
  id: string;
  keep?: string;
}

/**
 * HOLD: KEYS[1] the stamp; ARGV initial, expected ('' = whatever it is), held
 * → 1, or 0 if the stamp is not the expected one (nothing written)
 */
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

/** The caller's grant no longer holds: another change of its member came first. */
export const grantEnded = (): DomainError =>
  new DomainError(
    'unauthenticated',
    'This session ended while the change was being made: another change to the member came first, and this one was not made. Sign in again.',
  );

/** What a change holds while it is made: `check` it inside the change's transaction, after locking the member. */
export interface StampHold {
  /** Throws (rolling the change back) if a change of a kept member came in between. */
  check(): Promise<void>;
}

/**
 * A member's security stamp: a random value replaced by every change that must end what the
 * member was granted before it (DESIGN §1, the grant table in docs/grants.md). Sessions, MFA
 * tokens and Keystone receipts record the stamp of their sign-in and are honoured only while it
 * is still the member's, so a stale grant is refused everywhere at once.
 *
 * Changes are compare-and-set, so that of two racing changes neither can keep alive what the
 * other ended:
 * - before the change the stamp is replaced by a value held by this change alone (fail closed:
 *   if Redis cannot take it, nothing changes); a change that keeps the caller's grant (`keep`)
 *   holds it only if the stamp is still the grant's, else nothing changes (401);
 * - inside its transaction, with the member's row locked, the change `check`s that it still
 *   holds the stamp: a change made meanwhile by someone else (who replaced the stamp before
 *   taking the same lock) rolls it back;
 * - after it the stamp moves on again, ending the sign-ins that were in flight; a kept grant
 *   takes the new stamp only if this change still held the old one.
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

  /**
   * Runs a change of these members' security state (see the class). Answers the change's result
   * and, for each kept member, the stamp its caller's grant takes on — absent if another change
   * came in between (the grant then ends with everything else).
   */
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
    // The change is made: a failure from here on ends grants, it never undoes the answer. A stamp
    // left held matches no grant, and a kept grant that misses its new stamp ends.
    const next: Record<string, string> = {};
    for (const m of held) {
      const stamp = fresh();
      const key = securityStampKey(m.id);
      // Whoever changed it meanwhile, it moves on: what was issued during the change ends.
      const released =
        m.keep === undefined
          ? this.redis.set(key, stamp).then(() => 0)
          : this.redis.releaseStamp(key, m.held, stamp);
      if ((await released.catch(() => 0)) === 1) next[m.id] = stamp;
    }
    return { result, kept: next };
  }

  /**
   * For a grant made from another (a credential from a session), inside the transaction that
   * makes it, with its member locked: throws unless the maker's stamp is still the member's, so
   * that nothing made concurrently with a change slips past it.
   */
  async assertCurrent(memberId: string, stamp: string): Promise<void> {
    if ((await this.current(memberId)) !== stamp) throw grantEnded();
  }
}

/**
 * Present while an application credential exists (account-service sets it when the credential
 * is made or used, and deletes it with the credential): the tokens it issued live only as long
 * as this key. Never rename. In the member's hash-tag slot, beside the stamp.
 */
export const applicationCredentialKey = (memberId: string, credentialId: string): string =>
  `application-credential:{${memberId}}:${credentialId}`;
