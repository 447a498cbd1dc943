import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The platform's service users live in one reserved account of their own kind (Keystone's
 * "service" project), with the role `service`.
 */
export class AccountKind1764500000000 implements MigrationInterface {
  name = 'AccountKind1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE accounts ADD COLUMN kind text NOT NULL DEFAULT 'customer' CHECK (kind IN ('customer', 'service'))`,
    );
    await q.query(`CREATE UNIQUE INDEX accounts_one_service ON accounts (kind) WHERE kind = 'service'`);
    // The role of service users; only the operator gives it (no customer route can).
    await q.query(`ALTER TABLE members DROP CONSTRAINT members_roles_check`);
    await q.query(
      `ALTER TABLE members ADD CONSTRAINT members_roles_check CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['owner','admin','billing','ops','service'])`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM accounts WHERE kind = 'service'`);
    await q.query(`ALTER TABLE members DROP CONSTRAINT members_roles_check`);
    await q.query(
      `ALTER TABLE members ADD CONSTRAINT members_roles_check CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['owner','admin','billing','ops'])`,
    );
    await q.query(`DROP INDEX accounts_one_service`);
    await q.query(`ALTER TABLE accounts DROP COLUMN kind`);
  }
}
