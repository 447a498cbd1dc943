import { Injectable } from '@nestjs/common';
import { DomainError } from '@twofold/contracts';
import { SecurityEventPublisher, type RequestMeta } from '@twofold/platform';
import { CredentialsRepository } from '../credentials/credentials.repository';
import { SecretBox } from '../crypto/secret-box';
import { AttemptLimiter } from '../verification/attempt-limiter';
import { secretContext } from '../verification/totp-checker';

const BATCH = 200;

@Injectable()
export class OperatorService {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly limiter: AttemptLimiter,
    private readonly box: SecretBox,
    private readonly events: SecurityEventPublisher,
  ) {}

  async unlock(memberId: string, meta: RequestMeta | null): Promise<{ unlocked: boolean }> {
    const credential = await this.credentials.findActive(memberId);
    if (!credential)
      throw new DomainError('two_factor_not_enabled', 'Two-factor authentication is not on for this member.');
    await this.limiter.resetFailures(credential.id);
    if (!credential.lockedAt) return { unlocked: false };
    await this.limiter.aroundChange([credential.id], () => this.credentials.unlock(credential.id));
    await this.events.emit(
      {
        type: 'two_factor.unlocked',
        accountId: credential.accountId,
        actorId: null,
        subjectId: memberId,
        details: { byOperator: true },
      },
      meta,
    );
    return { unlocked: true };
  }

  /** Recovery codes cannot be re-keyed: keep a retired key until its codes are used or regenerated. */
  async rotateKeys(): Promise<{ resealed: number; keyId: string }> {
    let resealed = 0;
    for (;;) {
      const batch = await this.credentials.sealedUnderOtherKeys(this.box.currentKeyId, BATCH);
      if (batch.length === 0) return { resealed, keyId: this.box.currentKeyId };
      for (const credential of batch) {
        const context = secretContext(credential.memberId);
        const secret = this.box.open(credential.sealed, context);
        const sealed = this.box.seal(secret, context);
        if (
          await this.limiter.aroundChange([credential.id], () =>
            this.credentials.reseal(credential.id, credential.sealed, sealed),
          )
        )
          resealed += 1;
        secret.fill(0);
      }
    }
  }
}
