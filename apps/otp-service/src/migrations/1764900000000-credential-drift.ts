import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Clock drift: the base a resync gives a credential's window (steps from the server's now, up to
 * ±20, i.e. ±10 minutes). The smaller drift the verifier learns from accepted codes lives with
 * the replay window in Redis.
 */
export class CredentialDrift1764900000000 implements MigrationInterface {
  name = 'CredentialDrift1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE credentials ADD COLUMN drift_base smallint NOT NULL DEFAULT 0
         CHECK (drift_base BETWEEN -20 AND 20)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credentials DROP COLUMN drift_base`);
  }
}
