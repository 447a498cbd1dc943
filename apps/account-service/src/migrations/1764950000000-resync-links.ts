import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** E-mailed links of a third kind: realigning a member's authenticator, sent by an owner or admin. */
export class ResyncLinks1764950000000 implements MigrationInterface {
  name = 'ResyncLinks1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE link_tokens DROP CONSTRAINT link_tokens_purpose_check`);
    await q.query(
      `ALTER TABLE link_tokens ADD CONSTRAINT link_tokens_purpose_check
         CHECK (purpose IN ('password_reset', 'not_me', 'two_factor_resync'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM link_tokens WHERE purpose = 'two_factor_resync'`);
    await q.query(`ALTER TABLE link_tokens DROP CONSTRAINT link_tokens_purpose_check`);
    await q.query(
      `ALTER TABLE link_tokens ADD CONSTRAINT link_tokens_purpose_check CHECK (purpose IN ('password_reset', 'not_me'))`,
    );
  }
}
