import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { runScript } from '@twofold/platform';
import { type DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { loadAccountConfig } from './config/account-config';
import { PasswordHasher } from './passwords/password-hasher';

export interface AccountSeed {
  password: string;
  members: { accountId: string; accountName: string; memberId: string; login: string; email: string }[];
}

const BATCH = 1000;

/** The password is hashed once for every member: hashing each would take argon2 minutes. */
export async function seedAccounts(
  db: DataSource,
  passwordHash: string,
  seed: AccountSeed,
  onBatch: (done: number) => void = () => undefined,
): Promise<number> {
  for (let i = 0; i < seed.members.length; i += BATCH) {
    const batch = seed.members.slice(i, i + BATCH);
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO accounts (id, name) SELECT * FROM unnest($1::uuid[], $2::text[])', [
        batch.map((m) => m.accountId),
        batch.map((m) => m.accountName),
      ]);
      await tx.query(
        `INSERT INTO members (id, account_id, login, email, password_hash, roles, email_verified_at)
           SELECT id, account_id, login, email, $5, ARRAY['owner'], now() FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])
             AS t(id, account_id, login, email)`,
        [
          batch.map((m) => m.memberId),
          batch.map((m) => m.accountId),
          batch.map((m) => m.login),
          batch.map((m) => m.email),
          passwordHash,
        ],
      );
    });
    onBatch(i + batch.length);
  }
  return seed.members.length;
}

if (require.main === module) {
  runScript('account-service seed', async () => {
    const seed = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as AccountSeed;
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadAccountConfig()), {
      logger: ['error'],
    });
    const hash = await app.get(PasswordHasher).hash(seed.password);
    const count = await seedAccounts(app.get<DataSource>(getDataSourceToken()), hash, seed, (done) =>
      process.stdout.write(`${done}/${seed.members.length}\n`),
    );
    process.stdout.write(`Seeded ${count} account(s) with their owners.\n`);
    return app;
  });
}
