import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class VerifiedEmail1765100200000 implements MigrationInterface {
  name = 'VerifiedEmail1765100200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE members ADD COLUMN email_verified_at timestamptz`);
    await q.query(`ALTER TABLE members ADD COLUMN pending_email text`);
    // Existing addresses count as proven: they have been receiving security e-mails all along.
    await q.query(`UPDATE members SET email_verified_at = created_at`);
    await q.query(`ALTER TABLE link_tokens ADD COLUMN address text`);
    await q.query(`ALTER TABLE link_tokens DROP CONSTRAINT link_tokens_purpose_check`);
    await q.query(
      `ALTER TABLE link_tokens ADD CONSTRAINT link_tokens_purpose_check
         CHECK (purpose IN ('password_reset', 'not_me', 'two_factor_resync', 'email_verification'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM link_tokens WHERE purpose = 'email_verification'`);
    await q.query(`ALTER TABLE link_tokens DROP CONSTRAINT link_tokens_purpose_check`);
    await q.query(
      `ALTER TABLE link_tokens ADD CONSTRAINT link_tokens_purpose_check
         CHECK (purpose IN ('password_reset', 'not_me', 'two_factor_resync'))`,
    );
    await q.query(`ALTER TABLE link_tokens DROP COLUMN address`);
    await q.query(`ALTER TABLE members DROP COLUMN pending_email`);
    await q.query(`ALTER TABLE members DROP COLUMN email_verified_at`);
  }
}
