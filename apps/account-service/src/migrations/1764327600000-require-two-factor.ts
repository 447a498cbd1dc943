import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Account policy: every member who is not ops-only must have 2FA. */
export class RequireTwoFactor1764327600000 implements MigrationInterface {
  name = 'RequireTwoFactor1764327600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts ADD COLUMN require_two_factor boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts DROP COLUMN require_two_factor`);
  }
}
