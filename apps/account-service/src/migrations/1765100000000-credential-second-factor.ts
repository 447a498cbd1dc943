import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * When a second factor vouched for an application credential (made or confirmed from a session
 * that proved it). Credentials made before are taken as made with the password alone: one whose
 * member has 2FA on signs in again once confirmed.
 */
export class CredentialSecondFactor1765100000000 implements MigrationInterface {
  name = 'CredentialSecondFactor1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE application_credentials ADD COLUMN second_factor_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE application_credentials DROP COLUMN second_factor_at`);
  }
}
