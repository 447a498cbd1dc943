import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class AccountsMembersAudit1764316800000 implements MigrationInterface {
  name = 'AccountsMembersAudit1764316800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX accounts_name_key ON accounts (lower(name))`);
    await q.query(`
      CREATE TABLE members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        login text NOT NULL,
        email text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['owner','admin','billing','ops']),
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX members_login_key ON members (lower(login))`);
    await q.query(`CREATE INDEX members_account_id_idx ON members (account_id)`);
    // Exactly one owner per account is enforced here as "at most one"; sign-up creates it.
    await q.query(
      `CREATE UNIQUE INDEX members_one_owner_key ON members (account_id) WHERE 'owner' = ANY (roles)`,
    );
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        type text NOT NULL,
        actor_id uuid,
        subject_id uuid,
        occurred_at timestamptz NOT NULL,
        ip text,
        user_agent text,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(
      `CREATE INDEX audit_events_account_time_idx ON audit_events (account_id, occurred_at DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP TABLE members`);
    await q.query(`DROP TABLE accounts`);
  }
}
