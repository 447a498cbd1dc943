import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Role } from '@twofold/contracts';
import { Clock, orUnavailable } from '@twofold/platform';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { type AuthMethod, type IssuedSession, type Session } from './session';

/** 256 random bits, URL-safe. */
const TOKEN_BYTES = 32;

const sessionKey = (tokenHash: string): string => `session:${tokenHash}`;

/** KEYS[1] the member's index; ARGV the hash to keep, the session key prefix (with the client's prefix). */
const REVOKE_MEMBER_SESSIONS = `
local hashes = redis.call('SMEMBERS', KEYS[1])
local revoked = 0
for _, hash in ipairs(hashes) do
  if hash ~= ARGV[1] then
    revoked = revoked + redis.call('DEL', ARGV[2] .. hash)
    redis.call('SREM', KEYS[1], hash)
  end
end
return revoked
`;

interface SessionRedis extends Redis {
  revokeMemberSessions(indexKey: string, keepHash: string, sessionKeyPrefix: string): Promise<number>;
}
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
  ) {
    redis.defineCommand('revokeMemberSessions', { numberOfKeys: 1, lua: REVOKE_MEMBER_SESSIONS });
  }

  async issue(input: {
    memberId: string;
    accountId: string;
    roles: Role[];
    aal: 1 | 2;
    methods?: AuthMethod[];
    unscoped?: boolean;
    restricted?: boolean;
  }): Promise<IssuedSession> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const now = this.clock.now();
    const ttl = this.config.SESSION_TTL_SECONDS;
    const session: Session = {
      id: randomUUID(),
      memberId: input.memberId,
      accountId: input.accountId,
      roles: input.roles,
      aal: input.aal,
      methods: input.methods ?? (input.aal === 2 ? ['password', 'totp'] : ['password']),
      ...(input.unscoped ? { unscoped: true as const } : {}),
      ...(input.restricted ? { restricted: true as const } : {}),
      auditId: randomBytes(16).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttl * 1000).toISOString(),
    };
    const hash = hashToken(token);
    await orUnavailable(
      () =>
        this.redis
          .multi()
          .set(sessionKey(hash), JSON.stringify(session), 'EX', ttl)
          .sadd(memberSessionsKey(session.memberId), hash)
          .expire(memberSessionsKey(session.memberId), ttl, 'GT')
          .expire(memberSessionsKey(session.memberId), ttl, 'NX')
          .exec(),
      'Sessions',
    );
    return { token, session };
  }

  /** The live session of a token, or undefined for an unknown, expired or revoked one. */
  async resolve(token: string): Promise<Session | undefined> {
    const raw = await orUnavailable(() => this.redis.get(sessionKey(hashToken(token))), 'Sessions');
    return raw ? (JSON.parse(raw) as Session) : undefined;
  }

  /** Lifts the enrol-only restriction of a session (its member just turned 2FA on); same token, same expiry. */
  async lift(token: string, session: Session): Promise<void> {
    const lifted: Session = { ...session };
    delete lifted.restricted;
    await orUnavailable(
      () => this.redis.set(sessionKey(hashToken(token)), JSON.stringify(lifted), 'KEEPTTL', 'XX'),
      'Sessions',
    );
  }

  async revoke(token: string, memberId: string): Promise<void> {
    const hash = hashToken(token);
    await orUnavailable(
      () => this.redis.multi().del(sessionKey(hash)).srem(memberSessionsKey(memberId), hash).exec(),
      'Sessions',
    );
  }

  /** Ends every session of a member at once (all gateway instances share Redis), but `keepToken`'s. */
  async revokeAllOfMember(memberId: string, keepToken?: string): Promise<number> {
    const keep = keepToken ? hashToken(keepToken) : '';
    const revoked = await orUnavailable(
      () =>
        (this.redis as SessionRedis).revokeMemberSessions(
          memberSessionsKey(memberId),
          keep,
          // Keys built inside the script do not get the client's prefix added: give it in full.
          `${this.redis.options.keyPrefix ?? ''}session:`,
        ),
      'Sessions',
    );
    return Number(revoked);
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
