import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Role } from '@twofold/contracts';
import { Clock, orUnavailable } from '@twofold/platform';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { type AuthMethod } from './session';

/** A sign-in that passed the password and waits for its second factor. */
export interface PendingSignIn {
  memberId: string;
  accountId: string;
  roles: Role[];
  /** The methods already proven (Keystone receipts may start with either). */
  methods: AuthMethod[];
  issuedAt: string;
  expiresAt: string;
}

const key = (token: string): string => `mfa:${createHash('sha256').update(token).digest('base64url')}`;

/**
 * Short-lived, single-use tokens that carry a password-verified sign-in to its second factor
 * (the REST MFA token; Keystone's auth receipt). Stored hashed with their TTL. Taking one is
 * atomic (GETDEL): of concurrent attempts with one token, one proceeds. A wrong code puts it
 * back until it expires, so retyping a code never means retyping the password.
 */
@Injectable()
export class MfaTokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'MFA_TOKEN_TTL_SECONDS'>,
  ) {}

  async issue(input: {
    memberId: string;
    accountId: string;
    roles: Role[];
    methods: AuthMethod[];
  }): Promise<{ token: string; pending: PendingSignIn }> {
    const token = randomBytes(32).toString('base64url');
    const ttl = this.config.MFA_TOKEN_TTL_SECONDS;
    const now = this.clock.now();
    const pending: PendingSignIn = {
      ...input,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttl * 1000).toISOString(),
    };
    await orUnavailable(() => this.redis.set(key(token), JSON.stringify(pending), 'EX', ttl), 'Sign-in');
    return { token, pending };
  }

  /** Takes the token out of the store: only one caller gets it. */
  async take(token: string): Promise<PendingSignIn | undefined> {
    const raw = await orUnavailable(() => this.redis.getdel(key(token)), 'Sign-in');
    return raw ? (JSON.parse(raw) as PendingSignIn) : undefined;
  }

  /** Puts a taken token back for the rest of its life (after a wrong code). */
  async putBack(token: string, pending: PendingSignIn): Promise<void> {
    const expiresAt = new Date(pending.expiresAt).getTime();
    if (expiresAt <= this.clock.now().getTime()) return;
    await orUnavailable(
      () => this.redis.set(key(token), JSON.stringify(pending), 'PXAT', expiresAt, 'NX'),
      'Sign-in',
    );
  }
}
