import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Wrong codes presented with a link (a reset, a resync): a link dies after a few. */
export class LinkCodeFailures1765100100000 implements MigrationInterface {
  name = 'LinkCodeFailures1765100100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE link_tokens ADD COLUMN code_failures integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE link_tokens DROP COLUMN code_failures`);
  }
}
