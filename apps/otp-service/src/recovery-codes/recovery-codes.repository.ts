import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { insertCodes } from '../credentials/credentials.repository';
import { type KeyedHash } from '../crypto/secret-box';

@Injectable()
export class RecoveryCodesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One conditional UPDATE: of two concurrent uses exactly one burns the code. */
  async consume(
    credentialId: string,
    candidateHashes: Buffer[],
    now: Date,
    tx: EntityManager = this.db.manager,
  ): Promise<number | undefined> {
    const [row] = await tx.query<{ used: string; unused_before: string }[]>(
      `WITH used AS (
         UPDATE recovery_codes SET used_at = $3
          WHERE credential_id = $1 AND code_hash = ANY($2) AND used_at IS NULL
          RETURNING id)
       SELECT (SELECT count(*) FROM used) AS used,
              (SELECT count(*) FROM recovery_codes WHERE credential_id = $1 AND used_at IS NULL) AS unused_before`,
      [credentialId, candidateHashes, now],
    );
    // The outer SELECT sees the table as it was before the UPDATE in the same statement.
    return row && Number(row.used) === 1 ? Number(row.unused_before) - 1 : undefined;
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async replaceAll(credentialId: string, codes: KeyedHash[], tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM recovery_codes WHERE credential_id = $1', [credentialId]);
    await insertCodes(tx, credentialId, codes);
  }

  async countUnused(credentialId: string): Promise<number> {
    const [row] = await this.db.query<{ count: string }[]>(
      'SELECT count(*) FROM recovery_codes WHERE credential_id = $1 AND used_at IS NULL',
      [credentialId],
    );
    return Number(row?.count ?? 0);
  }
}
