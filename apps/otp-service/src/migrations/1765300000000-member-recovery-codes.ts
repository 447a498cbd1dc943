import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Recovery codes are the member's, for any factor; `credential_id` marks a pending enrolment's set. */
export class MemberRecoveryCodes1765300000000 implements MigrationInterface {
  name = 'MemberRecoveryCodes1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recovery_codes ADD COLUMN member_id uuid`);
    await q.query(`ALTER TABLE recovery_codes ALTER COLUMN credential_id DROP NOT NULL`);
    await q.query(`
      UPDATE recovery_codes r SET member_id = c.member_id,
             credential_id = CASE WHEN c.status = 'active' THEN NULL ELSE c.id END
        FROM credentials c WHERE c.id = r.credential_id`);
    await q.query(`ALTER TABLE recovery_codes ALTER COLUMN member_id SET NOT NULL`);
    await q.query(
      `ALTER TABLE recovery_codes DROP CONSTRAINT IF EXISTS recovery_codes_credential_id_code_hash_key`,
    );
    await q.query(`CREATE INDEX recovery_codes_member_idx ON recovery_codes (member_id)`);
    await q.query(`CREATE INDEX recovery_codes_pending_idx ON recovery_codes (credential_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX recovery_codes_pending_idx`);
    await q.query(`DROP INDEX recovery_codes_member_idx`);
    await q.query(`
      UPDATE recovery_codes r SET credential_id = c.id
        FROM credentials c WHERE r.credential_id IS NULL AND c.member_id = r.member_id AND c.status = 'active'`);
    await q.query(`DELETE FROM recovery_codes WHERE credential_id IS NULL`);
    await q.query(`ALTER TABLE recovery_codes ALTER COLUMN credential_id SET NOT NULL`);
    await q.query(`ALTER TABLE recovery_codes DROP COLUMN member_id`);
    await q.query(`ALTER TABLE recovery_codes ADD UNIQUE (credential_id, code_hash)`);
  }
}
