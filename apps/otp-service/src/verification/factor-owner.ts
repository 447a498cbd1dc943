import { Injectable, Logger } from '@nestjs/common';
import { SecurityEventPublisher, type RequestMeta } from '@twofold/platform';
import { type Credential, CredentialsRepository } from '../credentials/credentials.repository';
import { AttemptLimiter, type Budget } from './attempt-limiter';
import { secondFactorLocked, tooManyAttempts, TotpChecker } from './totp-checker';

/** Whose second factor is tried, and where its failures count. */
export interface FactorOwner {
  memberId: string;
  accountId: string;
  /** The member's authenticator app: its counters and lock are the member's while it has one. */
  totp?: Credential;
}

const counterKeyOf = (owner: FactorOwner): string => owner.totp?.id ?? owner.memberId;

/** One back-off and lock per member across its factors; without an app, counted under the member's id. */
@Injectable()
export class FactorOwners {
  private readonly logger = new Logger(FactorOwners.name);

  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly limiter: AttemptLimiter,
    private readonly totp: TotpChecker,
    private readonly events: SecurityEventPublisher,
  ) {}

  /** As stored now; undefined when 2FA is off. */
  async of(memberId: string): Promise<FactorOwner | undefined> {
    const totp = await this.credentials.findActive(memberId);
    if (totp) return { memberId, accountId: totp.accountId, totp };
    const accountId = await this.credentials.accountOfEnabled(memberId);
    return accountId ? { memberId, accountId } : undefined;
  }

  /** `failures: 0`: nothing for a success to reset; `blockedUntil`: the back-off's end (ms). */
  async standing(owner: FactorOwner): Promise<{ locked: boolean; failures: number; blockedUntil: number }> {
    const counted = await this.limiter.standing(counterKeyOf(owner));
    return { ...counted, locked: Boolean(owner.totp?.lockedAt) || counted.locked };
  }

  /** Counts a failure even during a back-off; true once it locked the second factor. */
  async failed(
    owner: FactorOwner,
    now: Date,
    meta: RequestMeta | null,
    budget: Budget = 'sign_in',
  ): Promise<boolean> {
    const { nowLocked, failures } = await this.limiter.recordRecoveryCodeFailure(
      counterKeyOf(owner),
      now,
      budget,
    );
    if (nowLocked) await this.lock(owner, failures, now, meta);
    return nowLocked;
  }

  /** Refuses, as for a TOTP code, while the second factor is locked or backing off. */
  async ensureOpen(owner: FactorOwner, now: Date): Promise<void> {
    const { locked, blockedUntil } = await this.standing(owner);
    if (locked) throw secondFactorLocked();
    if (now.getTime() < blockedUntil) throw tooManyAttempts(blockedUntil - now.getTime());
  }

  /** A wrong answer counted as a TOTP code's: refused first in a back-off or lock; true once it locked. */
  async failedCheck(owner: FactorOwner, now: Date, meta: RequestMeta | null): Promise<boolean> {
    if (owner.totp?.lockedAt) throw secondFactorLocked();
    const outcome = await this.limiter.attempt(counterKeyOf(owner), undefined, now);
    if (outcome.kind === 'backoff') throw tooManyAttempts(outcome.retryAfterMs);
    if (outcome.kind !== 'invalid') throw secondFactorLocked();
    if (outcome.nowLocked) await this.lock(owner, outcome.failures, now, meta);
    return outcome.nowLocked;
  }

  private async lock(
    owner: FactorOwner,
    failures: number,
    now: Date,
    meta: RequestMeta | null,
  ): Promise<void> {
    if (owner.totp) {
      await this.totp.lock(owner.totp, failures, now, meta);
      return;
    }
    await this.events.emit(
      {
        type: 'two_factor.locked',
        accountId: owner.accountId,
        actorId: null,
        subjectId: owner.memberId,
        details: { failures },
      },
      meta,
    );
  }

  /** The way out of a back-off (and a recovery code's, of the lock). */
  async succeeded(owner: FactorOwner, unlock: boolean, failures?: number): Promise<void> {
    if (failures === 0 && !(unlock && owner.totp?.lockedAt)) return;
    if (unlock && owner.totp?.lockedAt) {
      const id = owner.totp.id;
      await this.limiter.aroundChange([id], () => this.credentials.unlock(id));
    }
    await this.limiter.resetFailures(counterKeyOf(owner)).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'Could not reset the failure counter after a proven factor');
    });
  }

  /** Frees the counters of a member whose factors all went. */
  async forget(memberId: string, credentialIds: string[]): Promise<void> {
    for (const id of [memberId, ...credentialIds]) await this.limiter.forget(id).catch(() => undefined);
  }
}
