import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class TwoFactorGracePeriod1764900000000 implements MigrationInterface {
  name = 'TwoFactorGracePeriod1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE accounts ADD COLUMN grace_period_days smallint NOT NULL DEFAULT 0
         CHECK (grace_period_days BETWEEN 0 AND 90)`,
    );
    await q.query(`ALTER TABLE accounts ADD COLUMN two_factor_required_since timestamptz`);
    // Accounts requiring 2FA already: from now, without grace (as before).
    await q.query(`UPDATE accounts SET two_factor_required_since = now() WHERE require_two_factor`);
    await q.query(`ALTER TABLE members ADD COLUMN two_factor_reset_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE members DROP COLUMN two_factor_reset_at`);
    await q.query(`ALTER TABLE accounts DROP COLUMN two_factor_required_since`);
    await q.query(`ALTER TABLE accounts DROP COLUMN grace_period_days`);
  }
}
