import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  base32Decode,
  createIntegrationEnv,
  domainErrorOf,
  type IntegrationEnv,
  secretFromOtpauthUri,
  TestClock,
  totpReference,
} from '@twofold/testing';
import { type DataSource } from 'typeorm';
import { CredentialsRepository } from '../credentials/credentials.repository';
import { canonicalRecoveryCode } from '../recovery-codes/recovery-code-format';
import { enrolledMember, eventsFor, startOtpService } from '../testing/otp-service.harness';
import { VerificationService } from '../verification/verification.service';
import { EnrollmentService } from './enrollment.service';

describe(EnrollmentService.name, () => {
  let infra: IntegrationEnv;
  let app: INestApplicationContext;
  let enrollment: EnrollmentService;
  const clock = new TestClock(new Date('2026-11-28T10:00:05Z'));
  const member = () => ({ memberId: randomUUID(), accountId: randomUUID(), login: 'alice@acme' });
  const epoch = (): number => clock.now().getTime() / 1000;

  beforeAll(async () => {
    infra = await createIntegrationEnv('otp_enrollment');
    app = await startOtpService({ ...infra.env, OTP_ISSUER: 'Acme Cloud' }, clock);
    enrollment = app.get(EnrollmentService);
  });

  afterAll(async () => {
    await app?.close();
    await infra?.cleanup();
  });

  describe('start', () => {
    it('returns a 160-bit base32 secret, its otpauth URI and QR code, and 4 recovery codes', async () => {
      const started = await enrollment.start(member());

      expect(base32Decode(started.secret)).toHaveLength(20);
      expect(started.otpauthUri).toBe(
        `otpauth://totp/Acme%20Cloud:alice%40acme?secret=${started.secret}&issuer=Acme%20Cloud&algorithm=SHA1&digits=6&period=30`,
      );
      expect(started.qrCodeSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(started.recoveryCodes).toHaveLength(4);
      expect(new Set(started.recoveryCodes).size).toBe(4);
      expect(started.expiresAt).toBe('2026-11-28T10:10:05.000Z');
    });

    it('leaves 2FA off and the enrolment pending', async () => {
      const who = member();
      await enrollment.start(who);

      expect(await app.get(CredentialsRepository).statusOf(who.memberId, clock.now())).toEqual({
        enabled: false,
        pending: true,
        enabledAt: null,
        recoveryCodesRemaining: 0,
        locked: false,
      });
    });

    it('stores neither the secret nor a recovery code in the clear', async () => {
      const who = member();
      const started = await enrollment.start(who);
      const secret = base32Decode(started.secret);
      const db = app.get<DataSource>(getDataSourceToken());

      const rows = await db.query<Record<string, unknown>[]>(
        `SELECT c.*, r.code_hash FROM otp.credentials c JOIN otp.recovery_codes r ON r.credential_id = c.id WHERE c.member_id = $1`,
        [who.memberId],
      );

      const stored = Buffer.concat(
        rows.flatMap((row) =>
          Object.values(row).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v) ?? ''))),
        ),
      );
      expect(rows).toHaveLength(4);
      expect(stored.includes(secret)).toBe(false);
      expect(stored.includes(Buffer.from(started.secret))).toBe(false);
      for (const code of started.recoveryCodes) {
        expect(stored.includes(Buffer.from(code))).toBe(false);
        expect(stored.includes(Buffer.from(canonicalRecoveryCode(code)!))).toBe(false);
      }
    });

    it('replaces a pending enrolment: the first secret can no longer confirm', async () => {
      const who = member();
      const first = await enrollment.start(who);
      await enrollment.start(who);

      const error = await domainErrorOf(
        enrollment.confirm({
          memberId: who.memberId,
          code: totpReference(base32Decode(first.secret), epoch()),
        }),
      );

      expect(error.code).toBe('invalid_code');
    });

    it('never replaces an active enrolment', async () => {
      const active = await enrolledMember(app, clock);

      const error = await domainErrorOf(
        enrollment.start({ memberId: active.memberId, accountId: active.accountId, login: 'x' }),
      );

      expect(error.code).toBe('two_factor_already_enabled');
    });
  });

  describe('confirm', () => {
    it('turns 2FA on with a current code computed from the secret in the otpauth URI', async () => {
      const who = member();
      const started = await enrollment.start(who);

      const confirmed = await enrollment.confirm({
        memberId: who.memberId,
        code: totpReference(secretFromOtpauthUri(started.otpauthUri), epoch()),
      });

      expect(confirmed).toEqual({
        enabled: true,
        recoveryCodesRemaining: 4,
        securityStamp: expect.any(String),
      });
      expect(await app.get(CredentialsRepository).statusOf(who.memberId, clock.now())).toMatchObject({
        enabled: true,
        pending: false,
        enabledAt: clock.now().toISOString(),
      });
      expect((await eventsFor(app, who.memberId)).map((e) => e.type)).toEqual(['two_factor.enabled']);
    });

    it('refuses a wrong code and stays pending', async () => {
      const who = member();
      const started = await enrollment.start(who);
      const right = totpReference(base32Decode(started.secret), epoch());
      const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');

      const error = await domainErrorOf(enrollment.confirm({ memberId: who.memberId, code: wrong }));

      expect(error.code).toBe('invalid_code');
      expect((await app.get(CredentialsRepository).statusOf(who.memberId, clock.now())).pending).toBe(true);
    });

    it('refuses a recovery code in place of the device code', async () => {
      const who = member();
      const started = await enrollment.start(who);

      const error = await domainErrorOf(
        enrollment.confirm({ memberId: who.memberId, code: started.recoveryCodes[0] }),
      );

      expect(error.code).toBe('validation_failed');
    });

    it('finds nothing to confirm once the enrolment expired', async () => {
      const who = member();
      const started = await enrollment.start(who);
      clock.advance(601_000);

      const error = await domainErrorOf(
        enrollment.confirm({
          memberId: who.memberId,
          code: totpReference(base32Decode(started.secret), epoch()),
        }),
      );

      expect(error.code).toBe('enrollment_not_found');
    });

    it('uses up the confirming code: it cannot sign in afterwards', async () => {
      const enrolled = await enrolledMember(app, clock);

      const error = await domainErrorOf(
        app.get(VerificationService).verify({ memberId: enrolled.memberId, code: enrolled.code() }),
      );

      expect(error.code).toBe('code_already_used');
    });
  });
});
