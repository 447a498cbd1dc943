import { Injectable, Logger } from '@nestjs/common';
import { orUnavailable } from '@twofold/platform';
import { Redis } from 'ioredis';
import { type Credential, CredentialsRepository, toCredential } from '../credentials/credentials.repository';
import { SecretBox } from '../crypto/secret-box';
import { type TotpParameters } from '../totp/totp';
import { AttemptLimiter, REMOVED_VERSION, STATE_TTL_MS } from './attempt-limiter';

export interface CredentialCopy {
  credential: Credential;
  version: string;
}

const copyKey = (memberId: string): string => `otp:credential-copy:${memberId}`;

interface StoredCopy {
  version: string;
  id: string;
  accountId: string;
  keyId: string;
  sealed: string;
  algorithm: TotpParameters['algorithm'];
  digits: TotpParameters['digits'];
  period: number;
  driftBase?: number;
}

/**
 * Shared copies in Redis, secret still sealed, so a check skips Postgres when nothing changed. No
 * per-instance copy: members sign in rarely, so those were mostly garbage outliving the young generation.
 * Each check names the copy's version to the attempt script, which answers `stale` (counting nothing)
 * once the credential changed on any instance. Locked ones are never kept: an unlock must show at once.
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

  /** Redis unreachable: 503, as the attempt would be. */
  async copyOf(memberId: string): Promise<CredentialCopy | undefined> {
    const raw = await orUnavailable(() => this.redis.get(copyKey(memberId)), 'The second factor');
    if (!raw) return undefined;
    const copy = JSON.parse(raw) as StoredCopy;
    if (!this.box.canOpen(copy.keyId)) return undefined;
    return {
      version: copy.version,
      credential: toCredential({
        ...copy,
        memberId,
        status: 'active',
        secretCiphertext: Buffer.from(copy.sealed, 'base64'),
        lockedAt: null,
        driftBase: copy.driftBase ?? 0,
      }),
    };
  }

  stored(memberId: string): Promise<Credential | undefined> {
    return this.credentials.findActive(memberId);
  }

  /** `version`: the attempt script's answer after the read. A failure only costs a later Postgres read. */
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

  /** So that the member's first sign-in reads no more than the next ones. Best effort. */
  async keepActivated(credential: Credential): Promise<void> {
    const version = await this.limiter.versionForCopy(credential.id).catch(() => '');
    await this.keep(credential.memberId, credential, version);
  }

  async drop(memberId: string): Promise<void> {
    await this.redis
      .del(copyKey(memberId))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not drop a credential copy'));
  }
}
