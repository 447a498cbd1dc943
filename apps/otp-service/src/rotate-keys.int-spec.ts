import { randomBytes } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createIntegrationEnv, type IntegrationEnv, TestClock } from '@twofold/testing';
import { type DataSource } from 'typeorm';
import { formatKey } from './crypto/encryption-keys';
import { rotateKeys } from './rotate-keys';
import { type EnrolledMember, enrolledMember, startOtpService } from './testing/otp-service.harness';
import { VerificationService } from './verification/verification.service';

describe('rotate-keys', () => {
  let infra: IntegrationEnv;
  const clock = new TestClock(new Date('2026-11-28T10:00:05Z'));
  const oldKey = formatKey('k1', randomBytes(32));
  const newKey = formatKey('k2', randomBytes(32));
  const apps: INestApplicationContext[] = [];
  const start = async (keys: string): Promise<INestApplicationContext> => {
    const app = await startOtpService({ ...infra.env, OTP_ENCRYPTION_KEYS: keys }, clock);
    apps.push(app);
    return app;
  };
  const keyIds = async (app: INestApplicationContext): Promise<string[]> =>
    (
      await app
        .get<DataSource>(getDataSourceToken())
        .query<{ key_id: string }[]>('SELECT key_id FROM otp.credentials ORDER BY key_id')
    ).map((r) => r.key_id);
  const signIn = async (app: INestApplicationContext, member: EnrolledMember): Promise<string> => {
    clock.advance(30_000);
    return (
      await app.get(VerificationService).verify({ memberId: member.memberId, code: member.code() }, null)
    ).method;
  };

  beforeAll(async () => {
    infra = await createIntegrationEnv('otp_rotation');
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await infra?.cleanup();
  });

  it('re-encrypts every secret under the newest key, and every credential still verifies', async () => {
    const before = await start(oldKey);
    const members = [
      await enrolledMember(before, clock),
      await enrolledMember(before, clock),
      await enrolledMember(before, clock),
    ];
    const after = await start(`${newKey},${oldKey}`);

    const rotated = await rotateKeys(after);

    expect(rotated).toBe(3);
    expect(await keyIds(after)).toEqual(['k2', 'k2', 'k2']);
    for (const member of members) expect(await signIn(after, member)).toBe('totp');
    const newKeyOnly = await start(newKey);
    for (const member of members) expect(await signIn(newKeyOnly, member)).toBe('totp');
    expect(await rotateKeys(after)).toBe(0);
  });

  it('lets members sign in once the old key is retired, though the copies kept at enrolment were sealed under it', async () => {
    const before = await start(oldKey);
    const member = await enrolledMember(before, clock);
    expect(await rotateKeys(await start(`${newKey},${oldKey}`))).toBe(1);

    const newKeyOnly = await start(newKey);

    expect(await signIn(newKeyOnly, member)).toBe('totp');
    expect(await signIn(newKeyOnly, member)).toBe('totp');
  });

  it('keeps recovery codes made under the retired key usable while that key is configured', async () => {
    const before = await start(oldKey);
    const member = await enrolledMember(before, clock);
    const after = await start(`${newKey},${oldKey}`);
    await rotateKeys(after);

    const used = await after
      .get(VerificationService)
      .verify({ memberId: member.memberId, code: member.recoveryCodes[0] }, null);

    expect(used.method).toBe('recovery_code');
  });
});
