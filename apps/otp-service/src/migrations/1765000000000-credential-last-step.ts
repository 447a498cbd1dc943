import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The replay window's durable floor: the last time step accepted while Redis could not confirm
 * that a replica had the acceptance (see AttemptLimiter's replica wait). A failover to a replica
 * that never saw it cannot then accept that step, or one before it, again.
 */
export class CredentialLastStep1765000000000 implements MigrationInterface {
  name = 'CredentialLastStep1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credentials ADD COLUMN last_durable_step bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credentials DROP COLUMN last_durable_step`);
  }
}
