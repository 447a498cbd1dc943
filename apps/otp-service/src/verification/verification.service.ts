import { Injectable, Logger } from '@nestjs/common';
import { DomainError, type MemberCodeRequest, type Verified } from '@twofold/contracts';
import { Clock, SecurityEventPublisher } from '@twofold/platform';
import { type Credential, CredentialsRepository } from '../credentials/credentials.repository';
import { SecretBox } from '../crypto/secret-box';
import { classifyCode } from '../recovery-codes/recovery-code-format';
import { RecoveryCodesRepository } from '../recovery-codes/recovery-codes.repository';
import { AttemptLimiter } from './attempt-limiter';
import { ActiveCredentials } from './active-credentials';
import { secondFactorLocked, type TotpCheck, TotpChecker } from './totp-checker';

/** Left at or below this many recovery codes, the member is told to make new ones. */
const LOW_RECOVERY_CODES = 1;

@Injectable()
export class VerificationService {
  private readonly logger = new Logger(VerificationService.name);

  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly totp: TotpChecker,
    private readonly active: ActiveCredentials,
    private readonly limiter: AttemptLimiter,
    private readonly box: SecretBox,
    private readonly events: SecurityEventPublisher,
    private readonly clock: Clock,
  ) {}

  /** The second factor of a sign-in: a TOTP code, or a recovery code that is burnt on success. */
  async verify(request: MemberCodeRequest): Promise<Verified> {
    const { credential } = await this.activeCredential(request.memberId);
    const presented = classifyCode(request.code, credential.params.digits);
    if (!presented) throw notACode(credential.params.digits);
    const now = this.clock.now();
    if (presented.kind === 'recovery_code') {
      // Rare, and it may unlock: always against the stored credential.
      const stored = await this.activeCredential(request.memberId, true);
      return this.useRecoveryCode(stored.credential, presented.canonical, now);
    }
    const outcome = await this.checkTotp(request.memberId, presented.code, now);
    if (outcome === 'replayed') {
      throw new DomainError('code_already_used', 'This code was already used. Wait for the next one.');
    }
    if (outcome === 'invalid') throw new DomainError('invalid_code', 'The code is not correct.');
    return { method: 'totp', recoveryCodesRemaining: null };
  }

  /** "Test my code": the same check and limits as sign-in, answered as valid or not. */
  async test(request: MemberCodeRequest): Promise<{ valid: boolean }> {
    const { credential } = await this.activeCredential(request.memberId);
    const presented = classifyCode(request.code, credential.params.digits);
    if (presented?.kind !== 'totp') throw notACode(credential.params.digits, false);
    return {
      valid: (await this.checkTotp(request.memberId, presented.code, this.clock.now())) === 'accepted',
    };
  }

  /** The code against this instance's copy of the credential, or the stored one if that changed. */
  private async checkTotp(memberId: string, code: string, now: Date): Promise<Exclude<TotpCheck, 'stale'>> {
    const copy = await this.activeCredential(memberId);
    const outcome = await this.totp.check(copy.credential, code, now, copy.version);
    if (outcome !== 'stale') return outcome;
    const stored = await this.activeCredential(memberId, true);
    const fresh = await this.totp.check(stored.credential, code, now, stored.version);
    // Changed again in the meantime: fail closed, as when Redis cannot be asked.
    if (fresh === 'stale')
      throw new DomainError(
        'service_unavailable',
        'The second factor cannot be checked right now; try again.',
      );
    return fresh;
  }

  private async useRecoveryCode(credential: Credential, canonical: string, now: Date): Promise<Verified> {
    const remaining = await this.recoveryCodes.consume(
      credential.id,
      this.box.candidateHashes(canonical),
      now,
    );
    if (remaining === undefined) {
      const { nowLocked, failures } = await this.limiter.recordRecoveryCodeFailure(credential.id, now);
      if (nowLocked) {
        await this.totp.lock(credential, failures, now);
        throw secondFactorLocked();
      }
      throw new DomainError('invalid_code', 'The recovery code is not correct or was already used.');
    }
    // A recovery code is the way out of the lock and the back-off.
    if (credential.lockedAt) {
      await this.limiter.aroundChange([credential.id], () => this.credentials.unlock(credential.id));
    }
    await this.limiter.resetFailures(credential.id).catch((error: unknown) => {
      // The code is valid and burnt; the counters reset on the next accepted TOTP code.
      this.logger.warn({ err: error }, 'Could not reset the failure counter after a recovery code');
    });
    const who = {
      accountId: credential.accountId,
      actorId: credential.memberId,
      subjectId: credential.memberId,
    };
    await this.events.emit({ type: 'recovery_code.used', ...who, details: { remaining } });
    if (remaining <= LOW_RECOVERY_CODES) {
      await this.events.emit({ type: 'recovery_codes.low', ...who, details: { remaining } });
    }
    return { method: 'recovery_code', recoveryCodesRemaining: remaining };
  }

  private async activeCredential(
    memberId: string,
    stored = false,
  ): Promise<{ credential: Credential; version: string }> {
    const found = stored ? await this.active.read(memberId) : await this.active.get(memberId);
    if (!found)
      throw new DomainError('two_factor_not_enabled', 'Two-factor authentication is not on for this member.');
    return found;
  }
}

export function notACode(digits: number, recoveryAllowed = true): DomainError {
  const message = recoveryAllowed
    ? `Enter the ${digits}-digit code from your authenticator app, or a recovery code.`
    : `Enter the ${digits}-digit code from your authenticator app.`;
  return new DomainError('validation_failed', message, { details: [{ path: 'code', message }] });
}
