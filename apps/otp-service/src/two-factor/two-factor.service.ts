import { Injectable, Logger } from '@nestjs/common';
import {
  type DisableRequest,
  DomainError,
  type OtpRpc,
  type RpcRequest,
  type RpcResponse,
  type TwoFactorStatus,
} from '@twofold/contracts';
import { Clock, SecurityEventPublisher, SecurityStamps, type RequestMeta } from '@twofold/platform';
import { CredentialsRepository } from '../credentials/credentials.repository';
import { RecoveryCodeIssuer } from '../recovery-codes/recovery-code-issuer';
import { RecoveryCodesRepository } from '../recovery-codes/recovery-codes.repository';
import { ActiveCredentials } from '../verification/active-credentials';
import { AttemptLimiter } from '../verification/attempt-limiter';
import { FactorOwners } from '../verification/factor-owner';
import { PasskeysRepository } from '../passkeys/passkeys.repository';

@Injectable()
export class TwoFactorService {
  private readonly logger = new Logger(TwoFactorService.name);

  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly issuer: RecoveryCodeIssuer,
    private readonly limiter: AttemptLimiter,
    private readonly active: ActiveCredentials,
    private readonly events: SecurityEventPublisher,
    private readonly stamps: SecurityStamps,
    private readonly clock: Clock,
    private readonly passkeys: PasskeysRepository,
    private readonly owners: FactorOwners,
  ) {}

  async status(memberId: string): Promise<TwoFactorStatus> {
    const { lockedAt, app, ...status } = await this.credentials.statusOf(memberId, this.clock.now());
    // A member without an app is locked by its count alone.
    const locked =
      lockedAt !== null ||
      (status.enabled && !status.factors.includes('totp') && (await this.limiter.standing(memberId)).locked);
    return { ...status, clockDriftSeconds: app ? await this.clockDrift(app) : null, locked };
  }

  /** The stored base and what the verifier learned since (only a hint: the base alone if Redis cannot say). */
  private async clockDrift(app: { credentialId: string; driftBase: number; period: number }) {
    const learned = await this.limiter.learnedDrift(app.credentialId).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'Could not read the learned clock drift');
      return 0;
    });
    const steps = app.driftBase + learned;
    return steps === 0 ? null : steps * app.period;
  }

  async enabledAmong(memberIds: string[]): Promise<{ enabled: string[] }> {
    return { enabled: await this.credentials.activeAmong(memberIds) };
  }

  async regenerateRecoveryCodes(
    memberId: string,
    meta: RequestMeta | null,
  ): Promise<{ recoveryCodes: string[] }> {
    const accountId = await this.credentials.accountOfEnabled(memberId);
    if (!accountId) throw new DomainError('two_factor_not_enabled', 'Two-factor authentication is not on.');
    const codes = this.issuer.issue();
    await this.recoveryCodes.transaction(async (tx) => {
      await this.recoveryCodes.replaceAll(memberId, codes, tx);
      await this.events.emit(
        {
          type: 'recovery_codes.regenerated',
          accountId,
          actorId: memberId,
          subjectId: memberId,
          details: { count: codes.plain.length },
        },
        meta,
        tx,
      );
    });
    return { recoveryCodes: codes.plain };
  }

  async forgetMember(memberId: string): Promise<{ forgotten: true }> {
    const removed = await this.credentials.transaction(async (tx) => {
      await this.credentials.lockMember(memberId, tx);
      return this.credentials.deleteAll(memberId, tx);
    });
    await this.active.drop(memberId);
    await this.owners.forget(memberId, removed);
    return { forgotten: true };
  }

  /** "This wasn't me": see OtpRpc.revertTwoFactor. An app or passkeys added in the window go. */
  async revert(request: RpcRequest<typeof OtpRpc.revertTwoFactor>): Promise<{ removed: boolean }> {
    const active = await this.credentials.findActive(request.memberId);
    const since = new Date(request.since);
    const until = new Date(request.until);
    const { result } = await this.stamps.change([request.memberId], () =>
      this.limiter.aroundChange(active ? [active.id] : [], () =>
        this.credentials.transaction(async (tx) => {
          await this.credentials.lockMember(request.memberId, tx);
          const credentials = await this.credentials.deleteEnabledWithin(request.memberId, since, until, tx);
          const passkeys = await this.passkeys.deleteAddedWithin(request.memberId, since, until, tx);
          await this.credentials.dropCodesIfNoFactor(request.memberId, tx);
          return { credentials, passkeys };
        }),
      ),
    );
    await this.active.drop(request.memberId);
    for (const id of result.credentials) await this.limiter.forget(id).catch(() => undefined);
    return {
      removed: (active !== undefined && result.credentials.includes(active.id)) || result.passkeys > 0,
    };
  }

  async disable(
    request: DisableRequest,
    meta: RequestMeta | null,
  ): Promise<RpcResponse<typeof OtpRpc.disable>> {
    const active = await this.credentials.findActive(request.memberId);
    if (!(await this.credentials.accountOfEnabled(request.memberId)))
      throw new DomainError('two_factor_not_enabled', 'Two-factor authentication is not on.');
    // Every grant of the member and every cached copy of the credential end: what 2FA vouched for is gone.
    const member = { id: request.memberId, ...(request.grant ? { keep: request.grant.stamp } : {}) };
    const { result: removed, kept } = await this.stamps.change([member], (hold) =>
      this.limiter.aroundChange(active ? [active.id] : [], () =>
        this.credentials.transaction(async (tx) => {
          await this.credentials.lockMember(request.memberId, tx);
          await hold.check();
          const ids = await this.credentials.deleteAll(request.memberId, tx);
          await this.events.emit(
            {
              type: request.reason === 'self' ? 'two_factor.disabled' : 'two_factor.reset',
              accountId: request.accountId,
              actorId: request.actorId,
              subjectId: request.memberId,
              details: request.reason === 'operator_reset' ? { byOperator: true } : {},
            },
            meta,
            tx,
          );
          return ids;
        }),
      ),
    );
    // Its copies were dead once its version changed; this only frees them.
    await this.active.drop(request.memberId);
    await this.owners.forget(request.memberId, removed);
    const securityStamp = kept[request.memberId];
    return { disabled: true, ...(securityStamp ? { securityStamp } : {}) };
  }
}
