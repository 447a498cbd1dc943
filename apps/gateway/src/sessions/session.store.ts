import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@twofold/platform';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { type IssuedSession, type Session } from './session';

/** 256 random bits, URL-safe. */
const TOKEN_BYTES = 32;

const sessionKey = (tokenHash: string): string => `session:${tokenHash}`;
const memberSessionsKey = (memberId: string): string => `member-sessions:${memberId}`;

/**
 * Opaque session tokens. Only a SHA-256 of each token is stored (a full-entropy token needs
 * no slow hash), with the session's TTL; a per-member index allows revoking all of them.
 * Resolving a token is one Redis GET.
 */
@Injectable()
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async issue(input: { memberId: string; accountId: string; aal: 1 | 2 }): Promise<IssuedSession> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const now = this.clock.now();
    const ttl = this.config.SESSION_TTL_SECONDS;
    const session: Session = {
      id: randomUUID(),
      ...input,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttl * 1000).toISOString(),
    };
    const hash = hashToken(token);
    await this.redis
      .multi()
      .set(sessionKey(hash), JSON.stringify(session), 'EX', ttl)
      .sadd(memberSessionsKey(session.memberId), hash)
      .expire(memberSessionsKey(session.memberId), ttl, 'GT')
      .expire(memberSessionsKey(session.memberId), ttl, 'NX')
      .exec();
    return { token, session };
  }

  /** The live session of a token, or undefined for an unknown, expired or revoked one. */
  async resolve(token: string): Promise<Session | undefined> {
    const raw = await this.redis.get(sessionKey(hashToken(token)));
    return raw ? (JSON.parse(raw) as Session) : undefined;
  }

  async revoke(token: string, memberId: string): Promise<void> {
    const hash = hashToken(token);
    await this.redis.multi().del(sessionKey(hash)).srem(memberSessionsKey(memberId), hash).exec();
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
