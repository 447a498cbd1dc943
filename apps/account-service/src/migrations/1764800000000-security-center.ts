import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class SecurityCenter1764800000000 implements MigrationInterface {
  name = 'SecurityCenter1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE link_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('password_reset', 'not_me')),
        token_hash bytea NOT NULL UNIQUE,
        event_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    // One live link per e-mail: a re-sent e-mail replaces its link.
    await q.query(`CREATE UNIQUE INDEX link_tokens_event_key ON link_tokens (event_id, purpose)`);
    await q.query(`CREATE INDEX link_tokens_member ON link_tokens (member_id)`);
    await q.query(`ALTER TABLE members ADD COLUMN password_sign_in_stopped_at timestamptz`);
    await q.query(`ALTER TABLE accounts ADD COLUMN notify_new_device boolean NOT NULL DEFAULT true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts DROP COLUMN notify_new_device`);
    await q.query(`ALTER TABLE members DROP COLUMN password_sign_in_stopped_at`);
    await q.query(`DROP TABLE link_tokens`);
  }
}
