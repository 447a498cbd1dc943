import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** WebAuthn credentials (passkeys, security keys): public keys only, nothing secret. */
export class Passkeys1765200000000 implements MigrationInterface {
  name = 'Passkeys1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE passkeys (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL,
        account_id uuid NOT NULL,
        credential_id text NOT NULL UNIQUE,
        public_key bytea NOT NULL,
        sign_count bigint NOT NULL DEFAULT 0,
        transports text[] NOT NULL DEFAULT '{}',
        aaguid text NOT NULL,
        device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
        backed_up boolean NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      )`);
    await q.query(`CREATE INDEX passkeys_member_idx ON passkeys (member_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE passkeys`);
  }
}
