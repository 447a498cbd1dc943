import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Passkey } from '@twofold/contracts';
import { type Pool, type QueryConfig } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { PasskeyEntity } from './passkey.entity';

export type NewPasskey = Omit<PasskeyEntity, 'createdAt' | 'lastUsedAt'>;

export const passkeyView = (row: PasskeyEntity): Passkey => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  backedUp: row.backedUp,
});

@Injectable()
export class PasskeysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.db.manager).getRepository(PasskeyEntity);
  }

  listOf(memberId: string, tx?: EntityManager): Promise<PasskeyEntity[]> {
    return this.repo(tx).find({ where: { memberId }, order: { createdAt: 'ASC' } });
  }

  async findByCredentialId(credentialId: string): Promise<PasskeyEntity | null> {
    const { rows } = await ((this.db.driver as PostgresDriver).master as Pool).query<
      Omit<PasskeyEntity, 'signCount'> & { signCount: string }
    >({
      name: 'otp-find-passkey',
      text: `SELECT id, member_id AS "memberId", account_id AS "accountId", credential_id AS "credentialId",
                    public_key AS "publicKey", sign_count AS "signCount", transports, aaguid,
                    device_type AS "deviceType", backed_up AS "backedUp", name, created_at AS "createdAt",
                    last_used_at AS "lastUsedAt"
               FROM passkeys WHERE credential_id = $1`,
      values: [credentialId],
    } satisfies QueryConfig);
    const row = rows[0];
    return row ? { ...row, signCount: Number(row.signCount) } : null;
  }

  /** Undefined when the authenticator's credential is registered already (to anyone). */
  async insert(passkey: NewPasskey, now: Date, tx?: EntityManager): Promise<PasskeyEntity | undefined> {
    const row: PasskeyEntity = { ...passkey, createdAt: now, lastUsedAt: null };
    const result = await this.repo(tx)
      .createQueryBuilder()
      .insert()
      .values(row)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0 ? row : undefined;
  }

  /**
   * Moves the counter forward only: of two answers carrying the same counter, one wins. False when
   * the stored counter is already at or past it (a cloned authenticator, or a replay).
   */
  async recordUse(id: string, signCount: number, backedUp: boolean, now: Date): Promise<boolean> {
    // As a SELECT: TypeORM answers an UPDATE with [rows, count], a SELECT with its rows.
    const used = await this.db.query<unknown[]>(
      `WITH used AS (
         UPDATE passkeys SET sign_count = $2, backed_up = $3, last_used_at = $4
          WHERE id = $1 AND (sign_count < $2 OR ($2 = 0 AND sign_count = 0))
          RETURNING id)
       SELECT id FROM used`,
      [id, signCount, backedUp, now],
    );
    return used.length > 0;
  }

  /** "This wasn't me": passkeys added since the reported event; `tx` holds the member's lock. */
  async deleteAddedWithin(memberId: string, since: Date, until: Date, tx: EntityManager): Promise<number> {
    const [, removed] = await tx.query<[unknown[], number]>(
      'DELETE FROM passkeys WHERE member_id = $1 AND created_at BETWEEN $2 AND $3',
      [memberId, since, until],
    );
    return removed;
  }

  async rename(memberId: string, id: string, name: string): Promise<PasskeyEntity | undefined> {
    const updated = await this.repo().update({ id, memberId }, { name });
    return updated.affected ? this.repo().findOneByOrFail({ id }) : undefined;
  }

  async delete(memberId: string, id: string, tx?: EntityManager): Promise<PasskeyEntity | undefined> {
    const row = await this.repo(tx).findOne({ where: { id, memberId } });
    if (!row) return undefined;
    await this.repo(tx).delete({ id, memberId });
    return row;
  }
}
