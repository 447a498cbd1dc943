import { Injectable, Logger } from '@nestjs/common';
import { orUnavailable } from '@twofold/platform';
import { Redis } from 'ioredis';
import { type Credential, CredentialsRepository } from '../credentials/credentials.repository';
import { SecretBox } from '../crypto/secret-box';
import { type TotpParameters } from '../totp/totp';
import { AttemptLimiter, REMOVED_VERSION, STATE_TTL_MS } from './attempt-limiter';

export interface CredentialCopy {
  credential: Credential;
  version: string;
}

/** Where every instance finds the copy of a member's active credential (the secret still sealed). */
const copyKey = (memberId: string): string => `otp:credential-copy:${memberId}`;

/** A copy as stored: the credential with its secret sealed, and the version it is good for. */
interface StoredCopy {
  version: string;
  id: string;
  accountId: string;
  keyId: string;
  /** The sealed secret, base64. */
  sealed: string;
  algorithm: TotpParameters['algorithm'];
  digits: TotpParameters['digits'];
  period: number;
  /** Absent in copies kept before resyncs existed: 0. */
  driftBase?: number;
}

/**
 * Members' active credentials as last read from Postgres, so that checking a code does not read
 * Postgres when nothing changed: a copy that every instance shares, in Redis (the secret sealed
 * exactly as in Postgres, under the same key and context). Not also one per instance: a member
 * signs in once in a while, so such copies were mostly garbage that outlived the young
 * generation (in the bench, otp-service spent a third more CPU time per verification with them).
 *
 * A copy is only as good as its version: every check made with it names that version to the
 * attempt script, which refuses (`stale`, counting nothing) once the stored credential has
 * changed — locked, unlocked, sealed anew, removed — on any instance. A copy is kept under the
 * version that the attempt script answered right after the credential was read (`removed` if
 * it was removed in between: never kept). A locked credential is never kept: its unlocking must
 * be seen at once. Turning 2FA on keeps the new credential's copy, so a member's first sign-in
 * reads no more than the next ones.
 */
@Injectable()
export class ActiveCredentials {
  private readonly logger = new Logger(ActiveCredentials.name);

  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly redis: Redis,
    private readonly box: SecretBox,
    private readonly limiter: AttemptLimiter,
  ) {}

  /**
   * The member's copy, if there is one this instance can open (a copy sealed under a key no
   * longer configured is not). Redis unreachable: 503, as the attempt would be.
   */
  async copyOf(memberId: string): Promise<CredentialCopy | undefined> {
    const raw = await orUnavailable(() => this.redis.get(copyKey(memberId)), 'The second factor');
    if (!raw) return undefined;
    const copy = JSON.parse(raw) as StoredCopy;
    if (!this.box.canOpen(copy.keyId)) return undefined;
    return {
      version: copy.version,
      credential: {
        id: copy.id,
        memberId,
        accountId: copy.accountId,
        status: 'active',
        sealed: { keyId: copy.keyId, ciphertext: Buffer.from(copy.sealed, 'base64') },
        params: { algorithm: copy.algorithm, digits: copy.digits, period: copy.period },
        lockedAt: null,
        driftBase: copy.driftBase ?? 0,
      },
    };
  }

  /** The stored credential, read now. */
  stored(memberId: string): Promise<Credential | undefined> {
    return this.credentials.findActive(memberId);
  }

  /**
   * Keeps a copy of a credential just read (or just turned on), under the version the attempt
   * script answered after that read. A copy that cannot be kept costs only a later read from
   * Postgres, so a failure to keep it is not the caller's.
   */
  async keep(memberId: string, credential: Credential, version: string): Promise<void> {
    if (credential.lockedAt || version === '' || version === REMOVED_VERSION) return;
    const copy: StoredCopy = {
      version,
      id: credential.id,
      accountId: credential.accountId,
      keyId: credential.sealed.keyId,
      sealed: credential.sealed.ciphertext.toString('base64'),
      ...credential.params,
      driftBase: credential.driftBase,
    };
    await this.redis
      .set(copyKey(memberId), JSON.stringify(copy), 'PX', STATE_TTL_MS)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not keep a credential copy'));
  }

  /**
   * Keeps the copy of a credential just turned on (read before; under the version current
   * after), so that the member's first sign-in reads no more than the next ones. Best effort:
   * without it, that sign-in reads Postgres.
   */
  async keepActivated(credential: Credential): Promise<void> {
    const version = await this.limiter.versionForCopy(credential.id).catch(() => '');
    await this.keep(credential.memberId, credential, version);
  }

  /** Drops every copy of the member's credential (2FA turned off, or the stored one is locked). */
  async drop(memberId: string): Promise<void> {
    await this.redis
      .del(copyKey(memberId))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not drop a credential copy'));
  }
}
