import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class SecondFactorPolicy1765300000000 implements MigrationInterface {
  name = 'SecondFactorPolicy1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE accounts
        ADD COLUMN allowed_second_factors text[] NOT NULL DEFAULT '{totp,webauthn}',
        ADD COLUMN phishing_resistant_for text[] NOT NULL DEFAULT '{}',
        ADD COLUMN passwordless_sign_in boolean NOT NULL DEFAULT true,
        ADD COLUMN phishing_resistant_since timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE accounts
        DROP COLUMN allowed_second_factors, DROP COLUMN phishing_resistant_for, DROP COLUMN passwordless_sign_in,
        DROP COLUMN phishing_resistant_since`);
  }
}
