import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CredentialsRecoveryCodes1764316800000 implements MigrationInterface {
  name = 'CredentialsRecoveryCodes1764316800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE credentials (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id uuid NOT NULL,
        account_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'active')),
        secret_ciphertext bytea NOT NULL,
        key_id text NOT NULL,
        algorithm text NOT NULL,
        digits smallint NOT NULL,
        period smallint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        enabled_at timestamptz
      )`);
    // At most one active and one pending credential per member.
    await q.query(`CREATE UNIQUE INDEX credentials_member_status_key ON credentials (member_id, status)`);
    await q.query(`
      CREATE TABLE recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        credential_id uuid NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
        code_hash bytea NOT NULL,
        key_id text NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (credential_id, code_hash)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recovery_codes`);
    await q.query(`DROP TABLE credentials`);
  }
}
