import { Injectable } from '@nestjs/common';
import { DomainError } from '@twofold/contracts';
import { SecurityEventPublisher, type RequestMeta } from '@twofold/platform';
import { type EntityManager } from 'typeorm';
import { type Credential, CredentialsRepository } from '../credentials/credentials.repository';
import { SecretBox } from '../crypto/secret-box';
import { matchingStep, resyncStep } from '../totp/totp';
import {
  type AttemptKind,
  type AttemptOutcome,
  AttemptLimiter,
  type Budget,
  type CopyOf,
} from './attempt-limiter';

/**
 * The attempt's kinds that reach the caller (a back-off or a lock is thrown).
 * `stale`, `removed`: the copy checked is no longer the stored credential; nothing is counted.
 */
export type TotpCheck = Exclude<AttemptKind, 'backoff' | 'locked'>;

/** The secret's authenticated context: a sealed secret only opens for the member it was made for. */
export const secretContext = (memberId: string): string => `otp-secret:v1:${memberId}`;

@Injectable()
export class TotpChecker {
  constructor(
    private readonly box: SecretBox,
    private readonly limiter: AttemptLimiter,
    private readonly credentials: CredentialsRepository,
    private readonly events: SecurityEventPublisher,
  ) {}

  async check(credential: Credential, code: string, now: Date, meta: RequestMeta | null): Promise<TotpCheck> {
    return (await this.checkCopy(credential, code, now, { version: '' }, meta)).outcome;
  }

  async checkCopy(
    credential: Credential,
    code: string,
    now: Date,
    copy: CopyOf = { version: '' },
    meta: RequestMeta | null,
    options: { relayAlert?: boolean; budget?: Budget } = {},
  ): Promise<{ outcome: TotpCheck; version: string }> {
    if (credential.lockedAt) throw secondFactorLocked();
    const epoch = Math.floor(now.getTime() / 1000);
    const secret = this.box.open(credential.sealed, secretContext(credential.memberId));
    const step = matchingStep(secret, code, epoch, credential.params, credential.driftBase);
    secret.fill(0);
    const centre = Math.floor(epoch / credential.params.period) + credential.driftBase;
    const attempt = await this.durable(
      credential,
      step,
      await this.limiter.attempt(credential.id, step, now, {
        copy,
        from: meta?.ip ?? null,
        window: { centre },
        budget: options.budget ?? 'sign_in',
      }),
    );
    if (options.relayAlert && attempt.kind === 'replayed' && attempt.relayed) {
      await this.reportRelay(credential, attempt.relayed.acceptedFrom, meta);
    }
    return { outcome: await this.outcomeOf(credential, attempt, now, meta), version: attempt.version };
  }

  /** Both codes are used up; a failed resync counts as a wrong code toward the back-off and the lock. */
  async resync(
    credential: Credential,
    codes: [string, string],
    now: Date,
    meta: RequestMeta | null,
    /** Records the realignment (its event) in the transaction that makes it. */
    report: (tx: EntityManager, steps: number) => Promise<void>,
    budget: Budget = 'sign_in',
  ): Promise<{ outcome: TotpCheck; steps: number }> {
    if (credential.lockedAt) throw secondFactorLocked();
    const epoch = Math.floor(now.getTime() / 1000);
    const secret = this.box.open(credential.sealed, secretContext(credential.memberId));
    const step = resyncStep(secret, codes[0], codes[1], epoch, credential.params);
    secret.fill(0);
    const attempt = await this.durable(
      credential,
      step,
      await this.limiter.attempt(credential.id, step, now, {
        copy: { read: true },
        from: meta?.ip ?? null,
        window: 'resync',
        budget,
      }),
    );
    const outcome = await this.outcomeOf(credential, attempt, now, meta);
    const steps = step === undefined ? 0 : step - Math.floor(epoch / credential.params.period);
    if (outcome === 'accepted') {
      await this.limiter.aroundChange([credential.id], () =>
        this.credentials.transaction(async (tx) => {
          await this.credentials.setDriftBase(credential.id, steps, tx);
          await report(tx, steps);
        }),
      );
    }
    return { outcome, steps };
  }

  /** An unreplicated accept stands once PostgreSQL records its step: it refuses replays a failover let in. */
  private async durable(
    credential: Credential,
    step: number | undefined,
    attempt: AttemptOutcome,
  ): Promise<AttemptOutcome> {
    if (attempt.kind !== 'accepted' || attempt.replicated || step === undefined) return attempt;
    if (await this.credentials.recordDurableStep(credential.id, step)) return attempt;
    return { kind: 'replayed', failures: 0, nowLocked: false, version: attempt.version };
  }

  /** A valid code replayed by another sign-in was relayed from a phishing page: the password is known. */
  private async reportRelay(
    credential: Credential,
    acceptedFrom: string | null,
    meta: RequestMeta | null,
  ): Promise<void> {
    await this.events.emit(
      {
        type: 'second_factor.replay_detected',
        accountId: credential.accountId,
        actorId: null,
        subjectId: credential.memberId,
        details: { acceptedFrom: acceptedFrom ?? 'unknown', replayedFrom: meta?.ip ?? 'unknown' },
      },
      meta,
    );
  }

  private async outcomeOf(
    credential: Credential,
    outcome: AttemptOutcome,
    now: Date,
    meta: RequestMeta | null,
  ): Promise<TotpCheck> {
    switch (outcome.kind) {
      case 'accepted':
      case 'stale':
      case 'removed':
        return outcome.kind;
      case 'backoff':
        throw tooManyAttempts(outcome.retryAfterMs);
      case 'locked':
        throw secondFactorLocked();
      case 'invalid':
      case 'replayed':
        if (outcome.nowLocked) {
          await this.lock(credential, outcome.failures, now, meta);
          throw secondFactorLocked();
        }
        return outcome.kind;
    }
  }

  async lock(credential: Credential, failures: number, now: Date, meta: RequestMeta | null): Promise<void> {
    await this.limiter.aroundChange([credential.id], () =>
      this.credentials.transaction(async (tx) => {
        await this.credentials.lock(credential.id, now, tx);
        await this.events.emit(
          {
            type: 'two_factor.locked',
            accountId: credential.accountId,
            actorId: null,
            subjectId: credential.memberId,
            details: { failures },
          },
          meta,
          tx,
        );
      }),
    );
  }
}

export function secondFactorLocked(): DomainError {
  return new DomainError(
    'second_factor_locked',
    'The second factor is locked after too many wrong codes. Sign in with a recovery code, or ask an admin to reset two-factor authentication.',
  );
}

export function tooManyAttempts(retryAfterMs: number): DomainError {
  return new DomainError(
    'too_many_attempts',
    'Too many wrong codes in a row. Wait a moment before trying again.',
    { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
  );
}
