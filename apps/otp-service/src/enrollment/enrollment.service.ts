import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  type Enrollment,
  type OtpRpc,
  type RpcRequest,
  type RpcResponse,
  type StartEnrollmentRequest,
} from '@twofold/contracts';
import { Clock, SecurityEventPublisher, SecurityStamps, type RequestMeta } from '@twofold/platform';
import { toString as qrCode } from 'qrcode';
import { OTP_CONFIG, type OtpConfig } from '../config/otp-config';
import { CredentialsRepository } from '../credentials/credentials.repository';
import { SecretBox } from '../crypto/secret-box';
import { classifyCode } from '../recovery-codes/recovery-code-format';
import { RecoveryCodeIssuer } from '../recovery-codes/recovery-code-issuer';
import { RecoveryCodesRepository } from '../recovery-codes/recovery-codes.repository';
import { DEFAULT_TOTP, newSecret, otpauthUri, toBase32 } from '../totp/totp';
import { ActiveCredentials } from '../verification/active-credentials';
import { AttemptLimiter } from '../verification/attempt-limiter';
import { secretContext, TotpChecker } from '../verification/totp-checker';
import { notACode } from '../verification/verification.service';

/** ISO/IEC 18004 asks for 4 light modules around the code; phones read it faster at a real size. */
const QR_QUIET_ZONE = 4;
const QR_SIZE_PX = 240;

@Injectable()
export class EnrollmentService {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly issuer: RecoveryCodeIssuer,
    private readonly box: SecretBox,
    private readonly totp: TotpChecker,
    private readonly limiter: AttemptLimiter,
    private readonly active: ActiveCredentials,
    private readonly events: SecurityEventPublisher,
    private readonly stamps: SecurityStamps,
    private readonly clock: Clock,
    @Inject(OTP_CONFIG) private readonly config: Pick<OtpConfig, 'OTP_ISSUER' | 'OTP_ENROLLMENT_TTL_SECONDS'>,
  ) {}

  /** Returned once, stored only sealed or hashed; the active authenticator keeps working meanwhile. */
  async start(request: StartEnrollmentRequest): Promise<Enrollment> {
    const secret = newSecret();
    const codes = this.issuer.issue();
    const expiresAt = new Date(this.clock.now().getTime() + this.config.OTP_ENROLLMENT_TTL_SECONDS * 1000);
    await this.credentials.replacePending({
      memberId: request.memberId,
      accountId: request.accountId,
      sealed: this.box.seal(secret, secretContext(request.memberId)),
      params: DEFAULT_TOTP,
      expiresAt,
      codes,
      replace: request.replace === true,
    });
    const uri = otpauthUri({
      issuer: this.config.OTP_ISSUER,
      account: request.login,
      secret,
      params: DEFAULT_TOTP,
    });
    const enrollment: Enrollment = {
      secret: toBase32(secret),
      otpauthUri: uri,
      qrCodeSvg: await qrCode(uri, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: QR_QUIET_ZONE,
        width: QR_SIZE_PX,
      }),
      recoveryCodes: codes.plain,
      expiresAt: expiresAt.toISOString(),
    };
    secret.fill(0);
    return enrollment;
  }

  async confirm(
    request: RpcRequest<typeof OtpRpc.confirmEnrollment>,
    meta: RequestMeta | null,
  ): Promise<RpcResponse<typeof OtpRpc.confirmEnrollment>> {
    const now = this.clock.now();
    const pending = await this.credentials.findPending(request.memberId, now);
    if (!pending) {
      throw new DomainError(
        'enrollment_not_found',
        'There is no enrolment waiting for a code (it may have expired). Start again.',
      );
    }
    const presented = classifyCode(request.code, pending.params.digits);
    if (presented?.kind !== 'totp') throw notACode(pending.params.digits, false);
    const outcome = await this.totp.check(pending, presented.code, now, meta);
    if (outcome !== 'accepted')
      throw new DomainError(
        'invalid_code',
        'The code is not correct. Check the time on your device and try the next code.',
      );
    // Turning 2FA on ends the member's password-only grants: sessions and sign-ins in flight; a
    // new authenticator ends what the old one vouched for, and every copy of the old one.
    const replacing = await this.credentials.findActive(pending.memberId);
    const member = { id: pending.memberId, ...(request.grant ? { keep: request.grant.stamp } : {}) };
    const { result, kept } = await this.stamps.change([member], (hold) =>
      this.limiter.aroundChange(replacing ? [replacing.id] : [], () =>
        this.credentials.activate(pending.id, pending.memberId, now, async (tx, replaced) => {
          await hold.check();
          await this.events.emit(
            {
              type: replaced ? 'two_factor.replaced' : 'two_factor.enabled',
              accountId: pending.accountId,
              actorId: pending.memberId,
              subjectId: pending.memberId,
              details: {},
            },
            meta,
            tx,
          );
        }),
      ),
    );
    if (!result.activated) {
      throw new DomainError(
        'enrollment_not_found',
        'This enrolment is no longer waiting for a code. Start again.',
      );
    }
    if (result.replaced) {
      await this.limiter.forget(result.replaced).catch(() => undefined);
      await this.active.drop(pending.memberId);
    }
    await this.active.keepActivated({ ...pending, status: 'active' });
    return {
      enabled: true,
      recoveryCodesRemaining: await this.recoveryCodes.countUnused(pending.memberId),
      ...(kept[pending.memberId] ? { securityStamp: kept[pending.memberId] } : {}),
    };
  }
}
