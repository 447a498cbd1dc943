import { Injectable, Logger } from '@nestjs/common';
import {
  DomainError,
  type ErrorCode,
  type MemberCodeRequest,
  type OtpRpc,
  type RpcRequest,
  type Verified,
} from '@twofold/contracts';
import { Clock, SecurityEventPublisher, type RequestMeta } from '@twofold/platform';
import { type Credential, CredentialsRepository } from '../credentials/credentials.repository';
import { SecretBox } from '../crypto/secret-box';
import { classifyCode } from '../recovery-codes/recovery-code-format';
import { RecoveryCodesRepository } from '../recovery-codes/recovery-codes.repository';
import { AttemptLimiter, type Budget } from './attempt-limiter';
import { ActiveCredentials, type CredentialCopy } from './active-credentials';
import { SecondFactorAudit } from './second-factor-audit';
import { secondFactorLocked, type TotpCheck, TotpChecker } from './totp-checker';

type Known = CredentialCopy | { credential: Credential };

const LOW_RECOVERY_CODES = 1;

/** Refusals of a presented code (a malformed one is no attempt: it never reaches the counters). */
const FAILED: ReadonlySet<ErrorCode> = new Set([
  'invalid_code',
  'code_already_used',
  'too_many_attempts',
  'second_factor_locked',
]);

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
    private readonly audit: SecondFactorAudit,
  ) {}

  async verify(request: RpcRequest<typeof OtpRpc.verify>, meta: RequestMeta | null): Promise<Verified> {
    const known = await this.known(request.memberId);
    const who = { memberId: known.credential.memberId, accountId: known.credential.accountId };
    try {
      const verified = await this.check(request, known, meta);
      this.audit.succeeded(who, verified.method, meta);
      return verified;
    } catch (error) {
      if (error instanceof DomainError && FAILED.has(error.code)) await this.audit.failed(who, meta);
      throw error;
    }
  }

  private async check(
    request: RpcRequest<typeof OtpRpc.verify>,
    known: Known,
    meta: RequestMeta | null,
  ): Promise<Verified> {
    const budget = request.budget ?? 'sign_in';
    const presented = classifyCode(request.code, known.credential.params.digits);
    if (!presented) throw notACode(known.credential.params.digits);
    const now = this.clock.now();
    if (presented.kind === 'recovery_code') {
      // Rare, and it may unlock: always against the stored credential.
      const stored = 'version' in known ? await this.storedCredential(request.memberId) : known.credential;
      return this.useRecoveryCode(stored, presented.canonical, now, meta, budget);
    }
    const outcome = await this.checkTotp(request.memberId, presented.code, now, known, meta, {
      relayAlert: true,
      budget,
    });
    if (outcome === 'replayed') {
      throw new DomainError('code_already_used', 'This code was already used. Wait for the next one.');
    }
    if (outcome === 'invalid') throw new DomainError('invalid_code', 'The code is not correct.');
    return { method: 'totp', recoveryCodesRemaining: null };
  }

  async test(request: MemberCodeRequest, meta: RequestMeta | null): Promise<{ valid: boolean }> {
    const known = await this.known(request.memberId);
    const presented = classifyCode(request.code, known.credential.params.digits);
    if (presented?.kind !== 'totp') throw notACode(known.credential.params.digits, false);
    return {
      valid:
        (await this.checkTotp(request.memberId, presented.code, this.clock.now(), known, meta)) ===
        'accepted',
    };
  }

  async resync(
    request: RpcRequest<typeof OtpRpc.resync>,
    meta: RequestMeta | null,
  ): Promise<{ resynced: true; driftSeconds: number }> {
    const credential = await this.storedCredential(request.memberId);
    const codes = [request.code1, request.code2].map((code) => classifyCode(code, credential.params.digits));
    if (codes.some((c) => c?.kind !== 'totp')) throw notACode(credential.params.digits, false);
    const [first, second] = codes.map((c) => (c?.kind === 'totp' ? c.code : '')) as [string, string];
    const { outcome, steps } = await this.totp.resync(
      credential,
      [first, second],
      this.clock.now(),
      meta,
      (tx, realigned) =>
        this.events.emit(
          {
            type: 'two_factor.resynced',
            accountId: credential.accountId,
            actorId: credential.memberId,
            subjectId: credential.memberId,
            details: { driftSeconds: realigned * credential.params.period },
          },
          meta,
          tx,
        ),
      request.budget ?? 'sign_in',
    );
    if (outcome === 'removed') throw notEnabled();
    if (outcome === 'replayed') {
      throw new DomainError('code_already_used', 'These codes were already used. Wait for the next two.');
    }
    if (outcome !== 'accepted') {
      throw new DomainError(
        'invalid_code',
        'These are not two codes in a row from your app within 10 minutes of the right time. Enter the code shown now, wait for the next one, and enter it too.',
      );
    }
    // The old copy went with its version; the next check reads the new base.
    await this.active.drop(request.memberId);
    return { resynced: true, driftSeconds: steps * credential.params.period };
  }

  private async known(memberId: string): Promise<Known> {
    return (await this.active.copyOf(memberId)) ?? { credential: await this.storedCredential(memberId) };
  }

  /** Two Redis steps on the usual path; Postgres only when there is no copy or it changed. */
  private async checkTotp(
    memberId: string,
    code: string,
    now: Date,
    known: Known,
    meta: RequestMeta | null,
    options: { relayAlert?: boolean; budget?: Budget } = {},
  ): Promise<Exclude<TotpCheck, 'stale' | 'removed'>> {
    let credential = known.credential;
    if ('version' in known) {
      const { outcome } = await this.totp.checkCopy(
        credential,
        code,
        now,
        { version: known.version },
        meta,
        options,
      );
      if (outcome !== 'stale' && outcome !== 'removed') return outcome;
      const stored = await this.active.stored(memberId);
      // The copy no longer stands for anything: no copy is kept of a locked or removed credential.
      if (!stored || stored.lockedAt) await this.active.drop(memberId);
      if (!stored) throw notEnabled();
      credential = stored;
    }
    const { outcome, version } = await this.totp.checkCopy(
      credential,
      code,
      now,
      { read: true },
      meta,
      options,
    );
    if (outcome === 'removed') {
      await this.active.drop(memberId);
      throw notEnabled();
    }
    // Never the answer to an attempt naming no version; should it come, fail closed.
    if (outcome === 'stale')
      throw new DomainError(
        'service_unavailable',
        'The second factor cannot be checked right now; try again.',
      );
    await this.active.keep(memberId, credential, version);
    return outcome;
  }

  private async useRecoveryCode(
    credential: Credential,
    canonical: string,
    now: Date,
    meta: RequestMeta | null,
    budget: Budget,
  ): Promise<Verified> {
    const who = {
      accountId: credential.accountId,
      actorId: credential.memberId,
      subjectId: credential.memberId,
    };
    // The code burnt and its report (and a low count's) commit together.
    const remaining = await this.recoveryCodes.transaction(async (tx) => {
      const left = await this.recoveryCodes.consume(
        credential.id,
        this.box.candidateHashes(canonical),
        now,
        tx,
      );
      if (left === undefined) return undefined;
      await this.events.emit({ type: 'recovery_code.used', ...who, details: { remaining: left } }, meta, tx);
      if (left <= LOW_RECOVERY_CODES) {
        await this.events.emit(
          { type: 'recovery_codes.low', ...who, details: { remaining: left } },
          meta,
          tx,
        );
      }
      return left;
    });
    if (remaining === undefined) {
      const { nowLocked, failures } = await this.limiter.recordRecoveryCodeFailure(
        credential.id,
        now,
        budget,
      );
      if (nowLocked) {
        await this.totp.lock(credential, failures, now, meta);
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
    return { method: 'recovery_code', recoveryCodesRemaining: remaining };
  }

  private async storedCredential(memberId: string): Promise<Credential> {
    const credential = await this.active.stored(memberId);
    if (!credential) throw notEnabled();
    return credential;
  }
}

const notEnabled = (): DomainError =>
  new DomainError('two_factor_not_enabled', 'Two-factor authentication is not on for this member.');

export function notACode(digits: number, recoveryAllowed = true): DomainError {
  const message = recoveryAllowed
    ? `Enter the ${digits}-digit code from your authenticator app, or a recovery code.`
    : `Enter the ${digits}-digit code from your authenticator app.`;
  return new DomainError('validation_failed', message, { details: [{ path: 'code', message }] });
}
