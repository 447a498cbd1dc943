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
import { SecurityStamps } from '@twofold/platform';
import { type DataSource } from 'typeorm';
import { TwoFactorService } from '../two-factor/two-factor.service';
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
      // 240 px, and the dark modules start 4 modules in: the quiet zone the QR spec asks for.
      expect(started.qrCodeSvg).toMatch(/^<svg[^>]* width="240" height="240"/);
      expect(started.qrCodeSvg).toMatch(/<path stroke="#000000" d="M4 4\.5h/);
      expect(started.recoveryCodes).toHaveLength(4);
      expect(new Set(started.recoveryCodes).size).toBe(4);
      expect(started.expiresAt).toBe('2026-11-28T10:10:05.000Z');
    });

    it('leaves 2FA off and the enrolment pending', async () => {
      const who = member();
      await enrollment.start(who);

      expect(await app.get(TwoFactorService).status(who.memberId)).toEqual({
        enabled: false,
        factors: [],
        passkeys: 0,
        pending: true,
        enabledAt: null,
        recoveryCodesRemaining: 0,
        recoveryCodesIssuedAt: null,
        recoveryCodesLastUsedAt: null,
        recoveryCodesLastCheckedAt: null,
        clockDriftSeconds: null,
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
        enrollment.confirm(
          {
            memberId: who.memberId,
            code: totpReference(base32Decode(first.secret), epoch()),
          },
          null,
        ),
      );

      expect(error.code).toBe('invalid_code');
    });

    it('never replaces an active enrolment unless asked for a replacement', async () => {
      const active = await enrolledMember(app, clock);

      const error = await domainErrorOf(
        enrollment.start({ memberId: active.memberId, accountId: active.accountId, login: 'x' }),
      );

      expect(error.code).toBe('two_factor_already_enabled');
    });

    it('refuses a replacement for a member without 2FA', async () => {
      const error = await domainErrorOf(enrollment.start({ ...member(), replace: true }));

      expect(error.code).toBe('two_factor_not_enabled');
    });
  });

  describe('replacing the authenticator', () => {
    const verify = (memberId: string, code: string) =>
      app.get(VerificationService).verify({ memberId, code }, null);
    const replace = async () => {
      const old = await enrolledMember(app, clock);
      const started = await enrollment.start({
        memberId: old.memberId,
        accountId: old.accountId,
        login: 'x',
        replace: true,
      });
      const secret = base32Decode(started.secret);
      const next = (offset = 0) => totpReference(secret, epoch() + offset * 30);
      return { old, started, next };
    };

    it('keeps the current authenticator and its recovery codes working until the new one is confirmed', async () => {
      const { old } = await replace();

      await expect(verify(old.memberId, old.code(1))).resolves.toMatchObject({ method: 'totp' });
      await expect(verify(old.memberId, old.recoveryCodes[0])).resolves.toMatchObject({
        method: 'recovery_code',
      });
      expect(await app.get(CredentialsRepository).statusOf(old.memberId, clock.now())).toMatchObject({
        enabled: true,
        pending: true,
      });
    });

    it('swaps it in at once when confirmed: the old codes and recovery codes are refused, the new ones work', async () => {
      const { old, started, next } = await replace();
      // The old device's copy is in Redis, as after any sign-in.
      await verify(old.memberId, old.code(1));

      const confirmed = await enrollment.confirm({ memberId: old.memberId, code: next() }, null);

      expect(confirmed).toMatchObject({ enabled: true, recoveryCodesRemaining: 4 });
      expect((await domainErrorOf(verify(old.memberId, old.code(1)))).code).toBe('invalid_code');
      expect((await domainErrorOf(verify(old.memberId, old.recoveryCodes[1]))).code).toBe('invalid_code');
      await expect(verify(old.memberId, next(1))).resolves.toMatchObject({ method: 'totp' });
      await expect(verify(old.memberId, started.recoveryCodes[0])).resolves.toMatchObject({
        recoveryCodesRemaining: 3,
      });
      expect((await eventsFor(app, old.memberId)).map((e) => e.type)).toEqual(
        expect.arrayContaining(['two_factor.enabled', 'two_factor.replaced']),
      );
    });

    it('swaps once when confirmations race: one wins, the other finds nothing to confirm', async () => {
      const { old, next } = await replace();

      const results = await Promise.allSettled([
        enrollment.confirm({ memberId: old.memberId, code: next() }, null),
        enrollment.confirm({ memberId: old.memberId, code: next(1) }, null),
      ]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(['enrollment_not_found', 'invalid_code']).toContain((lost.reason as { code: string }).code);
      const db = app.get<DataSource>(getDataSourceToken());
      const rows = await db.query<{ status: string }[]>(
        'SELECT status FROM otp.credentials WHERE member_id = $1',
        [old.memberId],
      );
      expect(rows).toEqual([{ status: 'active' }]);
    });
  });

  describe('confirm', () => {
    it('turns 2FA on with a current code computed from the secret in the otpauth URI', async () => {
      const who = member();
      const started = await enrollment.start(who);

      const confirmed = await enrollment.confirm(
        {
          memberId: who.memberId,
          code: totpReference(secretFromOtpauthUri(started.otpauthUri), epoch()),
          grant: { stamp: await app.get(SecurityStamps).current(who.memberId) },
        },
        null,
      );

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

      const error = await domainErrorOf(enrollment.confirm({ memberId: who.memberId, code: wrong }, null));

      expect(error.code).toBe('invalid_code');
      expect((await app.get(CredentialsRepository).statusOf(who.memberId, clock.now())).pending).toBe(true);
    });

    it('refuses a recovery code in place of the device code', async () => {
      const who = member();
      const started = await enrollment.start(who);

      const error = await domainErrorOf(
        enrollment.confirm({ memberId: who.memberId, code: started.recoveryCodes[0] }, null),
      );

      expect(error.code).toBe('validation_failed');
    });

    it('finds nothing to confirm once the enrolment expired', async () => {
      const who = member();
      const started = await enrollment.start(who);
      clock.advance(601_000);

      const error = await domainErrorOf(
        enrollment.confirm(
          {
            memberId: who.memberId,
            code: totpReference(base32Decode(started.secret), epoch()),
          },
          null,
        ),
      );

      expect(error.code).toBe('enrollment_not_found');
    });

    it('uses up the confirming code: it cannot sign in afterwards', async () => {
      const enrolled = await enrolledMember(app, clock);

      const error = await domainErrorOf(
        app.get(VerificationService).verify({ memberId: enrolled.memberId, code: enrolled.code() }, null),
      );

      expect(error.code).toBe('code_already_used');
    });
  });
});
