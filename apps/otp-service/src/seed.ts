import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { runScript } from '@twofold/platform';
import { type DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { loadOtpConfig } from './config/otp-config';
import { SecretBox } from './crypto/secret-box';
import { base32ToBytes, DEFAULT_TOTP } from './totp/totp';
import { ActiveCredentials } from './verification/active-credentials';
import { secretContext } from './verification/totp-checker';

export interface CredentialSeed {
  /** `passkey`: a WebAuthn credential too (base64url id and COSE public key), counter 0. */
  members: {
    memberId: string;
    accountId: string;
    secret: string;
    passkey?: { credentialId: string; publicKey: string };
  }[];
}

const BATCH = 1000;

/** For load tests only: seals and keeps copies exactly as enrolment does, in this service's schema only. */
export async function seedCredentials(
  db: DataSource,
  box: SecretBox,
  active: ActiveCredentials,
  seed: CredentialSeed,
  onBatch: (done: number) => void = () => undefined,
): Promise<number> {
  for (let i = 0; i < seed.members.length; i += BATCH) {
    const batch = seed.members.slice(i, i + BATCH);
    const sealed = batch.map((m) =>
      box.seal(Buffer.from(base32ToBytes(m.secret)), secretContext(m.memberId)),
    );
    const rows = await db.query<{ id: string; member_id: string }[]>(
      `INSERT INTO credentials (member_id, account_id, status, secret_ciphertext, key_id, algorithm, digits, period, enabled_at)
         SELECT member_id, account_id, 'active', ciphertext, key_id, $5, $6, $7, now()
           FROM unnest($1::uuid[], $2::uuid[], $3::bytea[], $4::text[]) AS t(member_id, account_id, ciphertext, key_id)
         RETURNING id, member_id`,
      [
        batch.map((m) => m.memberId),
        batch.map((m) => m.accountId),
        sealed.map((s) => s.ciphertext),
        sealed.map((s) => s.keyId),
        DEFAULT_TOTP.algorithm,
        DEFAULT_TOTP.digits,
        DEFAULT_TOTP.period,
      ],
    );
    const withPasskey = batch.filter((m) => m.passkey);
    await db.query(
      `INSERT INTO passkeys (id, member_id, account_id, credential_id, public_key, transports, aaguid, device_type, backed_up, name)
         SELECT gen_random_uuid(), member_id, account_id, credential_id, public_key, '{internal}',
                '00000000-0000-0000-0000-000000000000', 'singleDevice', false, 'Bench key'
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bytea[])
             AS t(member_id, account_id, credential_id, public_key)`,
      [
        withPasskey.map((m) => m.memberId),
        withPasskey.map((m) => m.accountId),
        withPasskey.map((m) => m.passkey!.credentialId),
        withPasskey.map((m) => Buffer.from(m.passkey!.publicKey, 'base64url')),
      ],
    );
    const index = new Map(batch.map((m, j) => [m.memberId, j]));
    await Promise.all(
      rows.map((row) => {
        const j = index.get(row.member_id)!;
        return active.keepActivated({
          id: row.id,
          memberId: row.member_id,
          accountId: batch[j].accountId,
          status: 'active',
          sealed: sealed[j],
          params: DEFAULT_TOTP,
          lockedAt: null,
          driftBase: 0,
        });
      }),
    );
    onBatch(i + batch.length);
  }
  return seed.members.length;
}

if (require.main === module) {
  runScript('otp-service seed', async () => {
    const seed = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as CredentialSeed;
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadOtpConfig()), {
      logger: ['error'],
    });
    const count = await seedCredentials(
      app.get<DataSource>(getDataSourceToken()),
      app.get(SecretBox),
      app.get(ActiveCredentials),
      seed,
      (done) => process.stdout.write(`${done}/${seed.members.length}\n`),
    );
    process.stdout.write(`Seeded ${count} active credential(s).\n`);
    return app;
  });
}
