import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { orUnavailable } from './redis';

/**
 * Where a member's security stamp lives. Never rename: account-service and otp-service change
 * it, the gateway reads it. The braces are a Redis Cluster hash tag, so the gateway's keys of
 * the same member (its sessions and pending sign-ins) sit in the same slot as the stamp.
 */
export const securityStampKey = (memberId: string): string => `member-stamp:{${memberId}}`;

/** The stamp of a member whose grants were never invalidated. */
export const INITIAL_SECURITY_STAMP = '0';

/**
 * A member's security stamp: a random value replaced by every change that must end what the
 * member was granted before it — removal, a password change, 2FA turned on, off or reset, a
 * role change, an ownership transfer. Sessions, MFA tokens and Keystone receipts record the
 * stamp of their sign-in, and whoever resolves one compares it with the current stamp: a stale
 * grant is refused everywhere at once, without scanning Redis for it.
 */
@Injectable()
export class SecurityStamps {
  constructor(private readonly redis: Redis) {}

  async current(memberId: string): Promise<string> {
    const stamp = await orUnavailable(() => this.redis.get(securityStampKey(memberId)), 'Sign-in');
    return stamp ?? INITIAL_SECURITY_STAMP;
  }

  /**
   * Runs a change to these members between two stamp changes. The first one fails closed: if
   * Redis cannot take it, nothing changes (503), so no change ever leaves old grants alive.
   * The second one, after the change, ends the sign-ins that were in flight while it was made
   * (they read the stamp before the credentials, so they hold one of the two older values).
   * Returns the change's result and each member's new stamp, for a caller that keeps its own
   * session (it re-stamps that one session).
   */
  async around<T>(
    memberIds: string[],
    change: () => Promise<T>,
  ): Promise<{ result: T; stamps: Record<string, string> }> {
    await this.bump(memberIds);
    const result = await change();
    return { result, stamps: await this.bump(memberIds) };
  }

  private async bump(memberIds: string[]): Promise<Record<string, string>> {
    const stamps = Object.fromEntries(memberIds.map((id) => [id, randomBytes(12).toString('base64url')]));
    await orUnavailable(
      () => Promise.all(memberIds.map((id) => this.redis.set(securityStampKey(id), stamps[id]))),
      'This change',
    );
    return stamps;
  }
}

/**
 * Present while an application credential exists (account-service sets it when the credential
 * is made or used, and deletes it with the credential): the tokens it issued live only as long
 * as this key. Never rename. In the member's hash-tag slot, beside the stamp.
 */
export const applicationCredentialKey = (memberId: string, credentialId: string): string =>
  `application-credential:{${memberId}}:${credentialId}`;
