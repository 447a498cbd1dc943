import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** When a recovery code was last checked valid without being used up: the member still holds it. */
export class RecoveryCodeChecked1765400000000 implements MigrationInterface {
  name = 'RecoveryCodeChecked1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recovery_codes ADD COLUMN checked_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recovery_codes DROP COLUMN checked_at`);
  }
}
