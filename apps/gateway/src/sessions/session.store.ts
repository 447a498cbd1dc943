import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type MemberWithAccount, type Role } from '@twofold/contracts';
import {
  applicationCredentialKey,
  Clock,
  INITIAL_SECURITY_STAMP,
  orUnavailable,
  securityStampKey,
} from '@twofold/platform';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { defineGrantWrites, writeGrant } from './grant-writes';
import { hashToken, memberOfToken, newMemberToken, pooledRandomBytes } from './member-token';
import { type AuthMethod, type IssuedSession, type Session } from './session';

/** In the member's Redis Cluster slot, beside its security stamp. */
const sessionKey = (memberId: string, token: string): string => `session:{${memberId}}:${hashToken(token)}`;

/**
 * Opaque session tokens (REST sessions and Keystone tokens alike). Only a SHA-256 of each token
 * is stored, with the session's TTL. Resolving a token is one Redis round trip: the session and
 * its member's security stamp together; a session whose stamp is no longer the member's (the
 * member was removed, changed password, roles or 2FA) is refused.
 */
@Injectable()
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'SESSION_TTL_SECONDS'>,
  ) {
    defineGrantWrites(redis);
  }

  /** A new session, or undefined if the member's stamp moved on since `input.stamp` was read. */
  async issue(input: {
    member: MemberWithAccount;
    roles: Role[];
    aal: 1 | 2;
    stamp: string;
    methods?: AuthMethod[];
    unscoped?: boolean;
    restricted?: boolean;
    applicationCredential?: { id: string; name: string };
  }): Promise<IssuedSession | undefined> {
    const token = newMemberToken(input.member.user.id);
    const now = this.clock.now();
    const session: Session = {
      id: randomUUID(),
      memberId: input.member.user.id,
      accountId: input.member.account.id,
      roles: input.roles,
      member: input.member,
      aal: input.aal,
      methods: input.methods ?? (input.aal === 2 ? ['password', 'totp'] : ['password']),
      ...(input.unscoped ? { unscoped: true as const } : {}),
      ...(input.restricted ? { restricted: true as const } : {}),
      ...(input.applicationCredential ? { applicationCredential: input.applicationCredential } : {}),
      auditId: pooledRandomBytes(16).toString('base64url'),
      stamp: input.stamp,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.config.SESSION_TTL_SECONDS * 1000).toISOString(),
    };
    const written = await this.write(token, session, 'new');
    return written ? { token, session } : undefined;
  }

  /** The live session of a token, or undefined for an unknown, expired, revoked or stale one. */
  async resolve(token: string): Promise<Session | undefined> {
    const memberId = memberOfToken(token);
    if (!memberId) return undefined;
    const [raw, stamp] = await orUnavailable(
      () => this.redis.mget(sessionKey(memberId, token), securityStampKey(memberId)),
      'Sessions',
    );
    if (!raw) return undefined;
    const session = JSON.parse(raw) as Session;
    if (session.memberId !== memberId || session.stamp !== (stamp ?? INITIAL_SECURITY_STAMP))
      return undefined;
    // A credential's token ends with the credential (a second look, for these tokens only).
    if (session.applicationCredential) {
      const key = applicationCredentialKey(memberId, session.applicationCredential.id);
      if (!(await orUnavailable(() => this.redis.exists(key), 'Sessions'))) return undefined;
    }
    return session;
  }

  /**
   * Keeps this one session through a change its own member made (a new password, 2FA turned on
   * or off), which replaced the member's stamp: the session takes the new stamp, and loses the
   * enrol-only restriction once 2FA is on. Same token, same expiry; the member's other sessions
   * keep the old stamp and stay ended.
   */
  async restamp(
    token: string,
    session: Session,
    stamp: string,
    options: { lift?: boolean } = {},
  ): Promise<void> {
    const next: Session = { ...session, stamp };
    if (options.lift) delete next.restricted;
    await this.write(token, next, 'replace');
  }

  async revoke(token: string): Promise<void> {
    const memberId = memberOfToken(token);
    if (memberId) await orUnavailable(() => this.redis.del(sessionKey(memberId, token)), 'Sessions');
  }

  private write(token: string, session: Session, mode: 'new' | 'replace'): Promise<boolean> {
    return orUnavailable(
      () =>
        writeGrant(
          this.redis,
          { grant: sessionKey(session.memberId, token), stamp: securityStampKey(session.memberId) },
          {
            value: JSON.stringify(session),
            stamp: session.stamp,
            ttlMs: new Date(session.expiresAt).getTime() - this.clock.now().getTime(),
            mode,
          },
        ),
      'Sessions',
    );
  }
}
