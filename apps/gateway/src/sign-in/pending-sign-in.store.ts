import { Inject, Injectable } from '@nestjs/common';
import { type MemberWithAccount } from '@twofold/contracts';
import { Clock, INITIAL_SECURITY_STAMP, orUnavailable, securityStampKey } from '@twofold/platform';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { defineGrantWrites, takeGrant, writeGrant } from '../sessions/grant-writes';
import { hashToken, memberOfToken, newMemberToken } from '../sessions/member-token';
import { type AuthMethod } from '../sessions/session';

/**
 * A sign-in that proved some factors and waits for the rest: the REST MFA token and Keystone's
 * auth receipt are both one of these.
 */
export interface PendingSignIn {
  /** The member as of its password check (any later change replaces its stamp). */
  member: MemberWithAccount;
  /** The factors proven so far, in Keystone's method names. */
  proven: AuthMethod[];
  /** The member's security stamp, read before its password was checked. */
  stamp: string;
  issuedAt: string;
  expiresAt: string;
}

const pendingKey = (memberId: string, token: string): string =>
  `pending-sign-in:{${memberId}}:${hashToken(token)}`;

/**
 * Short-lived, single-use tokens for pending sign-ins, stored hashed with their TTL. Taking one
 * is atomic (GETDEL): of concurrent attempts with one token, one proceeds. A wrong code puts it
 * back until it expires, so retyping a code never means retyping the password. A pending
 * sign-in whose member's stamp has changed is gone: taking it answers nothing.
 */
@Injectable()
export class PendingSignInStore {
  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'MFA_TOKEN_TTL_SECONDS'>,
  ) {
    defineGrantWrites(redis);
  }

  /** A new pending sign-in, or undefined if the member's stamp moved on since it was read. */
  async issue(input: {
    member: MemberWithAccount;
    proven: AuthMethod[];
    stamp: string;
  }): Promise<{ token: string; pending: PendingSignIn } | undefined> {
    const token = newMemberToken(input.member.user.id);
    const now = this.clock.now();
    const pending: PendingSignIn = {
      ...input,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.config.MFA_TOKEN_TTL_SECONDS * 1000).toISOString(),
    };
    return (await this.write(token, pending, 'new')) ? { token, pending } : undefined;
  }

  /** Takes the pending sign-in out of the store: only one caller gets it, and only while it is current. */
  async take(token: string): Promise<PendingSignIn | undefined> {
    const memberId = memberOfToken(token);
    if (!memberId) return undefined;
    const { value: raw, stamp } = await orUnavailable(
      () => takeGrant(this.redis, { grant: pendingKey(memberId, token), stamp: securityStampKey(memberId) }),
      'Sign-in',
    );
    if (!raw) return undefined;
    const pending = JSON.parse(raw) as PendingSignIn;
    return pending.member.user.id === memberId && pending.stamp === (stamp ?? INITIAL_SECURITY_STAMP)
      ? pending
      : undefined;
  }

  /** Puts a taken one back for the rest of its life (after a wrong code), unless its member changed. */
  async putBack(token: string, pending: PendingSignIn): Promise<void> {
    if (new Date(pending.expiresAt).getTime() <= this.clock.now().getTime()) return;
    await this.write(token, pending, 'back');
  }

  private async write(token: string, pending: PendingSignIn, mode: 'new' | 'back'): Promise<boolean> {
    const memberId = pending.member.user.id;
    const written = await orUnavailable(
      () =>
        writeGrant(
          this.redis,
          { grant: pendingKey(memberId, token), stamp: securityStampKey(memberId) },
          {
            value: JSON.stringify(pending),
            stamp: pending.stamp,
            ttlMs: new Date(pending.expiresAt).getTime() - this.clock.now().getTime(),
            mode,
          },
        ),
      'Sign-in',
    );
    return written !== false;
  }
}
