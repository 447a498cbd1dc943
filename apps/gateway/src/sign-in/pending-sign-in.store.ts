import { Inject, Injectable } from '@nestjs/common';
import { type MemberWithAccount, type SecondFactorKind } from '@twofold/contracts';
import { Clock, INITIAL_SECURITY_STAMP, orUnavailable, securityStampKey } from '@twofold/platform';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { defineGrantWrites, takeGrant, writeGrant } from '../sessions/grant-writes';
import { hashToken, memberOfToken, newMemberToken } from '../sessions/member-token';
import { type AuthMethod } from '../sessions/session';

/** A sign-in waiting for its remaining factors: the REST MFA token or Keystone's auth receipt. */
export interface PendingSignIn {
  member: MemberWithAccount;
  proven: AuthMethod[];
  /** The member's security stamp, read before its password was checked. */
  stamp: string;
  /** The second factors the policy lets the member use, as decided when its password was proven. */
  usable?: SecondFactorKind[];
  /** The policy asks the member for a passkey by then (phishingResistantFor). */
  passkeyBy?: string;
  issuedAt: string;
  expiresAt: string;
}

const pendingKey = (memberId: string, token: string): string =>
  `pending-sign-in:{${memberId}}:${hashToken(token)}`;

/** A wrong code puts a taken one back until it expires, so retyping a code never means retyping the password. */
@Injectable()
export class PendingSignInStore {
  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'MFA_TOKEN_TTL_SECONDS'>,
  ) {
    defineGrantWrites(redis);
  }

  async issue(input: {
    member: MemberWithAccount;
    proven: AuthMethod[];
    stamp: string;
    usable: SecondFactorKind[];
    passkeyBy?: string;
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

  /** Reads without taking: only to hand out a new challenge for it. */
  async peek(token: string): Promise<PendingSignIn | undefined> {
    const memberId = memberOfToken(token);
    if (!memberId) return undefined;
    const [raw, stamp] = await orUnavailable(
      () => this.redis.mget(pendingKey(memberId, token), securityStampKey(memberId)),
      'Sign-in',
    );
    return raw ? this.valid(memberId, raw, stamp) : undefined;
  }

  async take(token: string): Promise<PendingSignIn | undefined> {
    const memberId = memberOfToken(token);
    if (!memberId) return undefined;
    const { value: raw, stamp } = await orUnavailable(
      () => takeGrant(this.redis, { grant: pendingKey(memberId, token), stamp: securityStampKey(memberId) }),
      'Sign-in',
    );
    return raw ? this.valid(memberId, raw, stamp) : undefined;
  }

  private valid(memberId: string, raw: string, stamp: string | null): PendingSignIn | undefined {
    const pending = JSON.parse(raw) as PendingSignIn;
    return pending.member.user.id === memberId && pending.stamp === (stamp ?? INITIAL_SECURITY_STAMP)
      ? pending
      : undefined;
  }

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
