import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Invitations: a member who is not ops-only chooses its own password from a link e-mailed to it,
 * so it has none until then, and is invited until a moment.
 */
export class Invitations1765100300000 implements MigrationInterface {
  name = 'Invitations1765100300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE members ALTER COLUMN password_hash DROP NOT NULL`);
    await q.query(`ALTER TABLE members ADD COLUMN invited_until timestamptz`);
    await q.query(`ALTER TABLE link_tokens DROP CONSTRAINT link_tokens_purpose_check`);
    await q.query(
      `ALTER TABLE link_tokens ADD CONSTRAINT link_tokens_purpose_check
         CHECK (purpose IN ('password_reset', 'not_me', 'two_factor_resync', 'email_verification', 'invitation'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM members WHERE password_hash IS NULL`);
    await q.query(`DELETE FROM link_tokens WHERE purpose = 'invitation'`);
    await q.query(`ALTER TABLE link_tokens DROP CONSTRAINT link_tokens_purpose_check`);
    await q.query(
      `ALTER TABLE link_tokens ADD CONSTRAINT link_tokens_purpose_check
         CHECK (purpose IN ('password_reset', 'not_me', 'two_factor_resync', 'email_verification'))`,
    );
    await q.query(`ALTER TABLE members DROP COLUMN invited_until`);
    await q.query(`ALTER TABLE members ALTER COLUMN password_hash SET NOT NULL`);
  }
}
