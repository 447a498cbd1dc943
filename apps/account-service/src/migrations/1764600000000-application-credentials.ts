import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Keystone-style application credentials: a member's named secrets for automation, stored only hashed. */
export class ApplicationCredentials1764600000000 implements MigrationInterface {
  name = 'ApplicationCredentials1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE application_credentials (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        name text NOT NULL,
        description text,
        secret_hash text NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0),
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX application_credentials_name_key ON application_credentials (member_id, lower(name))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE application_credentials`);
  }
}
