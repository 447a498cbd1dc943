import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type IssuedCodes } from './recovery-code-issuer';
import { RecoveryCodeEntity } from './recovery-code.entity';

/** The member's set: codes of no pending enrolment. */
const MEMBERS = 'member_id = $1 AND credential_id IS NULL';

@Injectable()
export class RecoveryCodesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One conditional UPDATE: of two concurrent uses exactly one burns the code. */
  async consume(
    memberId: string,
    candidateHashes: Buffer[],
    now: Date,
    tx: EntityManager = this.db.manager,
  ): Promise<number | undefined> {
    const [row] = await tx.query<{ used: string; unused_before: string }[]>(
      `WITH used AS (
         UPDATE recovery_codes SET used_at = $3
          WHERE ${MEMBERS} AND code_hash = ANY($2) AND used_at IS NULL
          RETURNING id)
       SELECT (SELECT count(*) FROM used) AS used,
              (SELECT count(*) FROM recovery_codes WHERE ${MEMBERS} AND used_at IS NULL) AS unused_before`,
      [memberId, candidateHashes, now],
    );
    // The outer SELECT sees the table as it was before the UPDATE in the same statement.
    return row && Number(row.used) === 1 ? Number(row.unused_before) - 1 : undefined;
  }

  /** Marks an unused code of the member's set as checked, without using it up; false: no such code. */
  async markChecked(
    memberId: string,
    candidateHashes: Buffer[],
    now: Date,
    tx: EntityManager,
  ): Promise<boolean> {
    const [rows] = await tx.query<[{ id: string }[], number]>(
      `UPDATE recovery_codes SET checked_at = $3
        WHERE ${MEMBERS} AND code_hash = ANY($2) AND used_at IS NULL
        RETURNING id`,
      [memberId, candidateHashes, now],
    );
    return rows.length > 0;
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async replaceAll(memberId: string, codes: IssuedCodes, tx: EntityManager): Promise<void> {
    await this.deleteAll(memberId, tx);
    await insertCodes(tx, { memberId, credentialId: null }, codes);
  }

  async deleteAll(memberId: string, tx: EntityManager): Promise<void> {
    await tx.query(`DELETE FROM recovery_codes WHERE ${MEMBERS}`, [memberId]);
  }

  async countUnused(memberId: string): Promise<number> {
    const [row] = await this.db.query<{ count: string }[]>(
      `SELECT count(*) FROM recovery_codes WHERE ${MEMBERS} AND used_at IS NULL`,
      [memberId],
    );
    return Number(row?.count ?? 0);
  }
}

export async function insertCodes(
  tx: EntityManager,
  owner: { memberId: string; credentialId: string | null },
  codes: IssuedCodes,
): Promise<void> {
  await tx.getRepository(RecoveryCodeEntity).insert(
    codes.hashes.map((c) => ({
      ...owner,
      codeHash: c.hash,
      keyId: c.keyId,
      usedAt: null,
      createdAt: codes.issuedAt,
    })),
  );
}
