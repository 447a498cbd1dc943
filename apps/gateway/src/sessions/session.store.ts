import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  type MemberWithAccount,
  type Role,
  type SessionView,
  type SessionVia,
} from '@twofold/contracts';
import {
  applicationCredentialKey,
  Clock,
  INITIAL_SECURITY_STAMP,
  memberDeadlineKey,
  orUnavailable,
  securityStampKey,
} from '@twofold/platform';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { deviceName } from './device-name';
import { defineGrantWrites, type GrantWritten, writeGrant } from './grant-writes';
import { hashToken, memberOfToken, newMemberToken, pooledRandomBytes } from './member-token';
import { amrOf, type AuthMethod, type IssuedSession, type Session } from './session';

/** In the member's Redis Cluster slot, beside its security stamp. */
const sessionKey = (memberId: string, token: string): string => `session:{${memberId}}:${hashToken(token)}`;
const sessionKeyOfHash = (memberId: string, hash: string): string => `session:{${memberId}}:${hash}`;
/** Entries name sessions by the token's hash, never the token; listing drops those that outlived theirs. */
const sessionIndexKey = (memberId: string): string => `sessions:{${memberId}}`;
/** Device key → last sign-in (ms): new devices are told to the member. */
const knownDevicesKey = (memberId: string): string => `devices:{${memberId}}`;
const DEVICE_MEMORY_MS = 365 * 24 * 3600 * 1000;
const usedField = (id: string): string => `${id}:used`;

interface SessionEntry {
  hash: string;
  createdAt: string;
  ip: string | null;
  device: string;
  aal: 1 | 2;
  via: SessionVia;
}

const TOUCH_EVERY_MS = 60_000;
const TOUCHED_MAX = 100_000;

/** KEYS[1] index; ARGV field, value. Only while the index exists, so an ended member's is not revived. */
const TOUCH_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1
`;

/** Only a SHA-256 of each token is stored; a session whose stamp is no longer its member's is refused. */
@Injectable()
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'SESSION_TTL_SECONDS'>,
  ) {
    defineGrantWrites(redis);
    redis.defineCommand('touchSessionIndex', { numberOfKeys: 1, lua: TOUCH_SCRIPT });
  }

  private readonly touched = new Map<string, number>();

  /** A new session, or undefined if the member's stamp moved on since `input.stamp` was read. */
  async issue(input: {
    member: MemberWithAccount;
    roles: Role[];
    aal: 1 | 2;
    stamp: string;
    methods?: AuthMethod[];
    /** How a passkey among `methods` proved the member. */
    passkey?: 'hwk' | 'swk';
    unscoped?: boolean;
    restricted?: boolean;
    /** The member's 2FA deadline, still to come: the session is restricted from then. */
    enrolBy?: string;
    twoFactor?: boolean;
    applicationCredential?: { id: string; name: string };
    origin: { ip: string | null; userAgent: string | null; via: SessionVia; device?: string };
  }): Promise<IssuedSession | undefined> {
    const token = newMemberToken(input.member.user.id);
    const now = this.clock.now();
    const methods: AuthMethod[] = input.methods ?? (input.aal === 2 ? ['password', 'totp'] : ['password']);
    const session: Session = {
      id: randomUUID(),
      memberId: input.member.user.id,
      accountId: input.member.account.id,
      roles: input.roles,
      member: input.member,
      aal: input.aal,
      methods,
      amr: amrOf(methods, input.passkey),
      ...(input.unscoped ? { unscoped: true as const } : {}),
      ...(input.restricted ? { restricted: true as const } : {}),
      ...(input.enrolBy && !input.restricted ? { enrolBy: input.enrolBy } : {}),
      twoFactor: input.twoFactor ?? input.aal === 2,
      ...(input.applicationCredential ? { applicationCredential: input.applicationCredential } : {}),
      auditId: pooledRandomBytes(16).toString('base64url'),
      stamp: input.stamp,
      verifiedAt: now.toISOString(),
      verifiedWith: input.aal === 2 ? 'second_factor' : 'password',
      ip: input.origin.ip,
      device: deviceName(input.origin.userAgent ?? undefined),
      via: input.applicationCredential ? 'application_credential' : input.origin.via,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.config.SESSION_TTL_SECONDS * 1000).toISOString(),
    };
    const written = await this.write(token, session, 'new', input.origin.device);
    if (!written) return undefined;
    return { token, session, ...(written === 'new_device' ? { newDevice: true } : {}) };
  }

  /** With the 2FA policy as it stands now, not as at sign-in. */
  async resolve(token: string): Promise<Session | undefined> {
    const memberId = memberOfToken(token);
    if (!memberId) return undefined;
    const [raw, stamp, deadline] = await orUnavailable(
      () =>
        this.redis.mget(sessionKey(memberId, token), securityStampKey(memberId), memberDeadlineKey(memberId)),
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
    this.touch(session);
    return this.underPolicy(session, deadline);
  }

  /**
   * Without 2FA: restricted from the published deadline, else the session's own; lifted when the policy
   * drops or postpones it.
   */
  private underPolicy(session: Session, published: string | null): Session {
    if ((session.twoFactor ?? session.aal === 2) || session.applicationCredential) return session;
    const now = this.clock.now().getTime();
    if (published === null) {
      return session.enrolBy && Date.parse(session.enrolBy) <= now
        ? { ...session, restricted: true }
        : session;
    }
    const restricted = published !== '' && Date.parse(published) <= now;
    if (restricted === (session.restricted === true)) return session;
    const next: Session = { ...session };
    if (restricted) next.restricted = true;
    else delete next.restricted;
    return next;
  }

  /** In the background: no added round trip, and a failure only leaves lastUsedAt older. */
  private touch(session: Session): void {
    if (!session.via) return;
    const now = this.clock.now().getTime();
    const last = this.touched.get(session.id);
    if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
    if (this.touched.size >= TOUCHED_MAX) this.touched.clear();
    this.touched.set(session.id, now);
    (
      this.redis as Redis & {
        touchSessionIndex(key: string, field: string, value: string): Promise<number>;
      }
    )
      .touchSessionIndex(sessionIndexKey(session.memberId), usedField(session.id), String(now))
      .catch(() => this.touched.delete(session.id));
  }

  async list(memberId: string, currentId?: string): Promise<SessionView[]> {
    const index = sessionIndexKey(memberId);
    const fields = await orUnavailable(() => this.redis.hgetall(index), 'Sessions');
    const entries = Object.entries(fields)
      .filter(([field]) => !field.endsWith(':used'))
      .map(([id, raw]) => ({ id, entry: JSON.parse(raw) as SessionEntry }));
    if (entries.length === 0) return [];
    const [stamp, ...raws] = await orUnavailable(
      () =>
        this.redis.mget(
          securityStampKey(memberId),
          ...entries.map(({ entry }) => sessionKeyOfHash(memberId, entry.hash)),
        ),
      'Sessions',
    );
    const current = stamp ?? INITIAL_SECURITY_STAMP;
    const live: SessionView[] = [];
    const dead: string[] = [];
    entries.forEach(({ id, entry }, i) => {
      const raw = raws[i];
      const session = raw ? (JSON.parse(raw) as Session) : undefined;
      if (!session || session.id !== id || session.memberId !== memberId || session.stamp !== current) {
        dead.push(id, usedField(id));
        return;
      }
      const used = Number(fields[usedField(id)]);
      live.push({
        id,
        current: id === currentId,
        createdAt: entry.createdAt,
        lastUsedAt: Number.isFinite(used) && used > 0 ? new Date(used).toISOString() : entry.createdAt,
        ip: entry.ip,
        device: entry.device,
        // The session's own: a step-up with the second factor raises it.
        aal: session.aal,
        via: entry.via,
      });
    });
    if (dead.length > 0) void this.redis.hdel(index, ...dead).catch(() => undefined);
    return live.sort(
      (a, b) =>
        Number(b.current) - Number(a.current) ||
        b.lastUsedAt.localeCompare(a.lastUsedAt) ||
        b.createdAt.localeCompare(a.createdAt),
    );
  }

  async revokeById(memberId: string, id: string): Promise<string | undefined> {
    const index = sessionIndexKey(memberId);
    const raw = await orUnavailable(() => this.redis.hget(index, id), 'Sessions');
    if (!raw) return undefined;
    const { hash, device } = JSON.parse(raw) as SessionEntry;
    const [[, deleted]] = (await orUnavailable(
      () => this.redis.multi().del(sessionKeyOfHash(memberId, hash)).hdel(index, id, usedField(id)).exec(),
      'Sessions',
    )) as [[Error | null, number]];
    return deleted === 1 ? device : undefined;
  }

  async revokeAllExcept(memberId: string, keepId?: string): Promise<number> {
    const index = sessionIndexKey(memberId);
    const fields = await orUnavailable(() => this.redis.hgetall(index), 'Sessions');
    const ids = Object.keys(fields).filter((f) => !f.endsWith(':used') && f !== keepId);
    if (ids.length === 0) return 0;
    const hashes = ids.map((id) => (JSON.parse(fields[id]) as SessionEntry).hash);
    const results = await orUnavailable(
      () =>
        this.redis
          .multi()
          .del(...hashes.map((hash) => sessionKeyOfHash(memberId, hash)))
          .hdel(index, ...ids.flatMap((id) => [id, usedField(id)]))
          .exec(),
      'Sessions',
    );
    return Number(results?.[0]?.[1] ?? 0);
  }

  /** Keeps this session through its member's stamp change; `proven`: a new factor made it aal 2, freshly. */
  async restamp(
    token: string,
    session: Session,
    stamp: string,
    options: { lift?: boolean; proven?: { method: AuthMethod; passkey?: 'hwk' | 'swk' } } = {},
  ): Promise<Session> {
    const next: Session = { ...session, stamp };
    if (options.lift) {
      delete next.restricted;
      delete next.enrolBy;
      next.twoFactor = true;
    }
    if (options.proven) {
      next.aal = 2;
      next.verifiedAt = this.clock.now().toISOString();
      next.verifiedWith = 'second_factor';
      next.methods = [...new Set([...session.methods, options.proven.method])];
      next.amr = amrOf(next.methods, options.proven.passkey);
    }
    await this.write(token, next, 'replace');
    return next;
  }

  /** Refused, like every write, once the session's stamp moved on. */
  async refresh(
    token: string,
    session: Session,
    proof: { verifiedAt: string; verifiedWith: 'password' | 'second_factor' },
  ): Promise<void> {
    const next: Session = {
      ...session,
      ...proof,
      ...(proof.verifiedWith === 'second_factor' ? { aal: 2 } : {}),
    };
    if (!(await this.write(token, next, 'replace'))) {
      throw new DomainError('unauthenticated', 'This session has ended. Sign in again.');
    }
  }

  async revoke(token: string): Promise<void> {
    const memberId = memberOfToken(token);
    if (!memberId) return;
    const key = sessionKey(memberId, token);
    const raw = await orUnavailable(() => this.redis.getdel(key), 'Sessions');
    const id = raw ? (JSON.parse(raw) as Session).id : undefined;
    if (id)
      await orUnavailable(() => this.redis.hdel(sessionIndexKey(memberId), id, usedField(id)), 'Sessions');
  }

  private write(
    token: string,
    session: Session,
    mode: 'new' | 'replace',
    device?: string,
  ): Promise<GrantWritten> {
    const entry: SessionEntry | undefined = session.via
      ? {
          hash: hashToken(token),
          createdAt: session.createdAt,
          ip: session.ip ?? null,
          device: session.device ?? 'Unknown device',
          aal: session.aal,
          via: session.via,
        }
      : undefined;
    const now = this.clock.now().getTime();
    return orUnavailable(
      () =>
        writeGrant(
          this.redis,
          {
            grant: sessionKey(session.memberId, token),
            stamp: securityStampKey(session.memberId),
            index: sessionIndexKey(session.memberId),
            devices: knownDevicesKey(session.memberId),
          },
          {
            value: JSON.stringify(session),
            stamp: session.stamp,
            ttlMs: new Date(session.expiresAt).getTime() - now,
            mode,
            ...(entry ? { entry: { field: session.id, value: JSON.stringify(entry) } } : {}),
            ...(device ? { device: { key: device, now, rememberMs: DEVICE_MEMORY_MS } } : {}),
          },
        ),
      'Sessions',
    );
  }
}
