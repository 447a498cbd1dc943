import { Injectable } from '@nestjs/common';
import {
  DomainError,
  type ErrorCode,
  type MemberCodeRequest,
  type OtpRpc,
  type RpcRequest,
  type Verified,
} from '@twofold/contracts';
import { Clock, SecurityEventPublisher, type RequestMeta } from '@twofold/platform';
import { type Credential } from '../credentials/credentials.repository';
import { SecretBox } from '../crypto/secret-box';
import { classifyCode } from '../recovery-codes/recovery-code-format';
import { RecoveryCodesRepository } from '../recovery-codes/recovery-codes.repository';
import { DEFAULT_TOTP } from '../totp/totp';
import { type Budget } from './attempt-limiter';
import { ActiveCredentials, type CredentialCopy } from './active-credentials';
import { type FactorOwner, FactorOwners } from './factor-owner';
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
  constructor(
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly totp: TotpChecker,
    private readonly active: ActiveCredentials,
    private readonly box: SecretBox,
    private readonly events: SecurityEventPublisher,
    private readonly clock: Clock,
    private readonly audit: SecondFactorAudit,
    private readonly owners: FactorOwners,
  ) {}

  async verify(request: RpcRequest<typeof OtpRpc.verify>, meta: RequestMeta | null): Promise<Verified> {
    const known = await this.known(request.memberId);
    const owner = known ?? (await this.owners.of(request.memberId));
    if (!owner) throw notEnabled();
    const who = 'credential' in owner ? owner.credential : owner;
    try {
      const verified = known
        ? await this.check(request, known, meta)
        : await this.checkWithoutApp(request, owner as FactorOwner, meta);
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
      const owner = { memberId: stored.memberId, accountId: stored.accountId, totp: stored };
      return this.useRecoveryCode(owner, presented.canonical, now, meta, budget);
    }
    if (request.totpAllowed === false) {
      throw new DomainError(
        'phishing_resistant_factor_required',
        'Your account requires your passkey here: codes from an authenticator app are refused (a recovery code works).',
      );
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

  /** A member with passkeys and no authenticator app: only a recovery code is a code. */
  private async checkWithoutApp(
    request: RpcRequest<typeof OtpRpc.verify>,
    owner: FactorOwner,
    meta: RequestMeta | null,
  ): Promise<Verified> {
    const presented = classifyCode(request.code, DEFAULT_TOTP.digits);
    if (presented?.kind !== 'recovery_code') {
      throw new DomainError(
        'no_authenticator_app',
        'Your second factor is a passkey, not an authenticator app: use your passkey, or a recovery code. OpenStack clients sign in with an application credential made in Account Settings.',
      );
    }
    return this.useRecoveryCode(
      owner,
      presented.canonical,
      this.clock.now(),
      meta,
      request.budget ?? 'sign_in',
    );
  }

  async test(request: MemberCodeRequest, meta: RequestMeta | null): Promise<{ valid: boolean }> {
    const known = await this.app(request.memberId);
    const presented = classifyCode(request.code, known.credential.params.digits);
    if (presented?.kind !== 'totp') throw notACode(known.credential.params.digits, false);
    return {
      valid:
        (await this.checkTotp(request.memberId, presented.code, this.clock.now(), known, meta)) ===
        'accepted',
    };
  }

  async checkRecoveryCode(request: MemberCodeRequest, meta: RequestMeta | null): Promise<{ valid: boolean }> {
    const owner = await this.owners.of(request.memberId);
    if (!owner) throw notEnabled();
    const presented = classifyCode(request.code, owner.totp?.params.digits ?? DEFAULT_TOTP.digits);
    if (presented?.kind !== 'recovery_code') throw notARecoveryCode();
    const now = this.clock.now();
    const who = { accountId: owner.accountId, actorId: owner.memberId, subjectId: owner.memberId };
    const hashes = this.box.candidateHashes(presented.canonical);
    const valid = await this.recoveryCodes.transaction(async (tx) => {
      if (!(await this.recoveryCodes.markChecked(owner.memberId, hashes, now, tx))) return false;
      // Asked after the lookup: a right code in a back-off answers as a wrong one would, so a burst learns nothing.
      await this.owners.ensureOpen(owner, now);
      await this.events.emit({ type: 'recovery_codes.checked', ...who, details: { valid: true } }, meta, tx);
      return true;
    });
    if (valid) return { valid: true };
    const locked = await this.owners.failedCheck(owner, now, meta);
    await this.events.emit({ type: 'recovery_codes.checked', ...who, details: { valid: false } }, meta);
    if (locked) throw secondFactorLocked();
    return { valid: false };
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

  /** The member's authenticator app (a copy if one is kept); undefined: none. */
  private async known(memberId: string): Promise<Known | undefined> {
    const copy = await this.active.copyOf(memberId);
    if (copy) return copy;
    const credential = await this.active.stored(memberId);
    return credential ? { credential } : undefined;
  }

  private async app(memberId: string): Promise<Known> {
    const known = await this.known(memberId);
    if (!known) throw notEnabled();
    return known;
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
    owner: FactorOwner,
    canonical: string,
    now: Date,
    meta: RequestMeta | null,
    budget: Budget,
  ): Promise<Verified> {
    const who = { accountId: owner.accountId, actorId: owner.memberId, subjectId: owner.memberId };
    // The code burnt and its report (and a low count's) commit together.
    const remaining = await this.recoveryCodes.transaction(async (tx) => {
      const left = await this.recoveryCodes.consume(
        owner.memberId,
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
      if (await this.owners.failed(owner, now, meta, budget)) throw secondFactorLocked();
      throw new DomainError('invalid_code', 'The recovery code is not correct or was already used.');
    }
    // A recovery code is the way out of the lock and the back-off.
    await this.owners.succeeded(owner, true);
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

function notARecoveryCode(): DomainError {
  const message = 'Enter one of your recovery codes (12 letters and digits).';
  return new DomainError('validation_failed', message, { details: [{ path: 'code', message }] });
}
