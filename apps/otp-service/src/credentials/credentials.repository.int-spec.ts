import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createIntegrationEnv, type IntegrationEnv } from '@twofold/testing';
import { type DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { loadOtpConfig } from '../config/otp-config';
import { CredentialsRepository } from './credentials.repository';

describe(CredentialsRepository.name, () => {
  let infra: IntegrationEnv;
  let app: INestApplicationContext;
  let repository: CredentialsRepository;
  let db: DataSource;
  const now = new Date('2026-11-28T10:00:00Z');

  const insertCredential = async (memberId: string, status: 'pending' | 'active', expiresAt: Date | null) => {
    const [row] = await db.query<[{ id: string }]>(
      `INSERT INTO otp.credentials (member_id, account_id, status, secret_ciphertext, key_id, algorithm, digits, period, expires_at, enabled_at)
       VALUES ($1, $2, $3, '\\x00', 'k1', 'SHA1', 6, 30, $4, $5) RETURNING id`,
      [memberId, randomUUID(), status, expiresAt, status === 'active' ? now : null],
    );
    return row.id;
  };

  beforeAll(async () => {
    infra = await createIntegrationEnv('otp_credentials');
    const module = await Test.createTestingModule({
      imports: [AppModule.forRoot(loadOtpConfig(infra.env))],
    }).compile();
    app = await module.init();
    repository = app.get(CredentialsRepository);
    db = app.get(getDataSourceToken());
  });

  afterAll(async () => {
    await app?.close();
    await infra?.cleanup();
  });

  describe('statusOf', () => {
    it('reports 2FA off for a member without a credential', async () => {
      expect(await repository.statusOf(randomUUID(), now)).toEqual({
        enabled: false,
        factors: [],
        passkeys: 0,
        pending: false,
        enabledAt: null,
        recoveryCodesRemaining: 0,
        recoveryCodesIssuedAt: null,
        recoveryCodesLastUsedAt: null,
        recoveryCodesLastCheckedAt: null,
        lockedAt: null,
        app: null,
      });
    });

    it('counts only the unused recovery codes of the member, not those of a pending enrolment', async () => {
      const memberId = randomUUID();
      await insertCredential(memberId, 'active', null);
      const pendingId = await insertCredential(memberId, 'pending', new Date(now.getTime() + 60_000));
      for (const [i, usedAt] of [null, null, null, now].entries()) {
        await db.query(
          `INSERT INTO otp.recovery_codes (member_id, code_hash, key_id, used_at) VALUES ($1, $2, 'k1', $3)`,
          [memberId, Buffer.from([i]), usedAt],
        );
        await db.query(
          `INSERT INTO otp.recovery_codes (member_id, credential_id, code_hash, key_id) VALUES ($1, $2, $3, 'k1')`,
          [memberId, pendingId, Buffer.from([i])],
        );
      }

      expect(await repository.statusOf(memberId, now)).toEqual({
        enabled: true,
        factors: ['totp'],
        passkeys: 0,
        pending: true,
        enabledAt: now.toISOString(),
        recoveryCodesRemaining: 3,
        recoveryCodesIssuedAt: expect.any(String) as unknown,
        recoveryCodesLastUsedAt: now.toISOString(),
        recoveryCodesLastCheckedAt: null,
        lockedAt: null,
        app: { credentialId: expect.any(String) as unknown, driftBase: 0, period: 30 },
      });
    });

    it('reports a locked second factor', async () => {
      const memberId = randomUUID();
      const credentialId = await insertCredential(memberId, 'active', null);
      await repository.lock(credentialId, now);

      expect((await repository.statusOf(memberId, now)).lockedAt).toEqual(now);
    });

    it('shows a pending enrolment until it expires', async () => {
      const memberId = randomUUID();
      await insertCredential(memberId, 'pending', new Date(now.getTime() + 60_000));

      expect((await repository.statusOf(memberId, now)).pending).toBe(true);
      expect((await repository.statusOf(memberId, new Date(now.getTime() + 61_000))).pending).toBe(false);
    });
  });
});
