import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** When the e-mail of an event went out: a retried or duplicated job sends nothing twice. */
export class AuditNotified1764324000000 implements MigrationInterface {
  name = 'AuditNotified1764324000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ADD COLUMN notified_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events DROP COLUMN notified_at`);
  }
}
