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
}

/** A stored credential: the view, its member, and the argon2id hash of its secret. */
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
  },
});

@Injectable()
export class ApplicationCredentialsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Runs `work` in one transaction: a credential's change and the event reporting it commit together. */
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
    },
    tx: EntityManager = this.db.manager,
  ): Promise<StoredCredential> {
    try {
      const rows = await tx.query<Row[]>(
        `INSERT INTO application_credentials (member_id, name, description, secret_hash, roles, expires_at)
              VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [input.memberId, input.name, input.description, input.secretHash, input.roles, input.expiresAt],
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

  /** Deletes every credential of a member (in the caller's transaction); their ids. */
  async deleteAllOf(memberId: string, tx: EntityManager): Promise<string[]> {
    const [rows] = await tx.query<[{ id: string }[], number]>(
      'DELETE FROM application_credentials WHERE member_id = $1 RETURNING id',
      [memberId],
    );
    return rows.map((row) => row.id);
  }

  /** Deletes one credential of a member; undefined if the member has none with this id. */
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
