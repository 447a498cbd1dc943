import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type ApplicationCredential, DomainError, type Role } from '@twofold/contracts';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';

interface Row {
  id: string;
  member_id: string;
  name: string;
  description: string | null;
  secret_hash: string;
  roles: Role[];
  expires_at: Date | null;
  created_at: Date;
  second_factor_at: Date | null;
}

export interface StoredCredential {
  view: ApplicationCredential;
  memberId: string;
  secretHash: string;
}

const toStored = (row: Row): StoredCredential => ({
  memberId: row.member_id,
  secretHash: row.secret_hash,
  view: {
    id: row.id,
    name: row.name,
    description: row.description,
    roles: row.roles,
    expiresAt: row.expires_at ? row.expires_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    secondFactor: row.second_factor_at !== null,
  },
});

@Injectable()
export class ApplicationCredentialsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A credential's change and the event reporting it commit together. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insert(
    input: {
      memberId: string;
      name: string;
      description: string | null;
      secretHash: string;
      roles: Role[];
      expiresAt: Date | null;
      /** When a second factor vouched for it (null: the password alone). */
      secondFactorAt: Date | null;
    },
    tx: EntityManager = this.db.manager,
  ): Promise<StoredCredential> {
    try {
      const rows = await tx.query<Row[]>(
        `INSERT INTO application_credentials (member_id, name, description, secret_hash, roles, expires_at, second_factor_at)
              VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          input.memberId,
          input.name,
          input.description,
          input.secretHash,
          input.roles,
          input.expiresAt,
          input.secondFactorAt,
        ],
      );
      return toStored(rows[0]);
    } catch (error) {
      const code =
        error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
      if (code === '23505') {
        throw new DomainError(
          'application_credential_name_taken',
          `Conflict occurred attempting to store application_credential - Duplicate entry found with name ${input.name}.`,
        );
      }
      throw error;
    }
  }

  async listOf(memberId: string): Promise<StoredCredential[]> {
    const rows = await this.db.query<Row[]>(
      'SELECT * FROM application_credentials WHERE member_id = $1 ORDER BY created_at, id',
      [memberId],
    );
    return rows.map(toStored);
  }

  async findById(id: string): Promise<StoredCredential | undefined> {
    const rows = await this.db.query<Row[]>('SELECT * FROM application_credentials WHERE id = $1', [id]);
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  async findByName(memberId: string, name: string): Promise<StoredCredential | undefined> {
    const rows = await this.db.query<Row[]>(
      'SELECT * FROM application_credentials WHERE member_id = $1 AND lower(name) = lower($2)',
      [memberId, name],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /** `passwordOnly`: only those no second factor vouched for; `madeBy`: only those made by then. */
  async deleteAllOf(
    memberId: string,
    tx: EntityManager,
    only: { passwordOnly?: true; madeBy?: Date } = {},
  ): Promise<string[]> {
    const [rows] = await tx.query<[{ id: string }[], number]>(
      `DELETE FROM application_credentials
        WHERE member_id = $1 AND ($2::boolean IS NOT TRUE OR second_factor_at IS NULL)
          AND ($3::timestamptz IS NULL OR created_at <= $3)
        RETURNING id`,
      [memberId, only.passwordOnly ?? null, only.madeBy ?? null],
    );
    return rows.map((row) => row.id);
  }

  async confirm(
    memberId: string,
    id: string,
    at: Date,
    tx: EntityManager,
  ): Promise<StoredCredential | undefined> {
    const [rows] = await tx.query<[Row[], number]>(
      `UPDATE application_credentials SET second_factor_at = $3 WHERE member_id = $1 AND id = $2 RETURNING *`,
      [memberId, id, at],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  async delete(
    memberId: string,
    id: string,
    tx: EntityManager = this.db.manager,
  ): Promise<StoredCredential | undefined> {
    const rows = await tx.query<[Row[], number]>(
      'DELETE FROM application_credentials WHERE member_id = $1 AND id = $2 RETURNING *',
      [memberId, id],
    );
    const deleted = rows[0][0];
    return deleted ? toStored(deleted) : undefined;
  }
}
