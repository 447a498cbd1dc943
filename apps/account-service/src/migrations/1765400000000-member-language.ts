import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class MemberLanguage1765400000000 implements MigrationInterface {
  name = 'MemberLanguage1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE members ADD COLUMN language text NOT NULL DEFAULT 'en'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE members DROP COLUMN language`);
  }
}
