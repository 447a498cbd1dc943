import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The hard lock is durable: it survives a Redis restart until a recovery code or an admin reset. */
export class CredentialLock1764320400000 implements MigrationInterface {
  name = 'CredentialLock1764320400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credentials ADD COLUMN locked_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credentials DROP COLUMN locked_at`);
  }
}
