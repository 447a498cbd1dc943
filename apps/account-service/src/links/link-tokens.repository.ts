import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';

export type LinkPurpose =
  'password_reset' | 'not_me' | 'two_factor_resync' | 'email_verification' | 'invitation';

export interface Link {
  memberId: string;
  eventId: string;
  address: string | null;
}

const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();
const FOREIGN_KEY_VIOLATION = '23503';

/** Tokens are stored only as a SHA-256: a random 256-bit key, unlike a password, needs no salt or slow hash. */
@Injectable()
export class LinkTokensRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One live link per e-mail: a retried job's token replaces the last; undefined if used or the member is gone. */
  async issue(input: {
    memberId: string;
    purpose: LinkPurpose;
    eventId: string;
    now: Date;
    ttlSeconds: number;
    /** The address the e-mail goes to (what a verification link proves). */
    address?: string;
  }): Promise<string | undefined> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(input.now.getTime() + input.ttlSeconds * 1000);
    try {
      const rows = await this.db.query<unknown[]>(
        `INSERT INTO link_tokens (member_id, purpose, token_hash, event_id, created_at, expires_at, address)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (event_id, purpose) DO UPDATE
           SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
           WHERE link_tokens.used_at IS NULL AND link_tokens.member_id = EXCLUDED.member_id
         RETURNING id`,
        [
          input.memberId,
          input.purpose,
          hashOf(token),
          input.eventId,
          input.now,
          expiresAt,
          input.address ?? null,
        ],
      );
      await this.db.query(
        // A used link stays until it expires: a retried e-mail must not get a new one.
        `DELETE FROM link_tokens WHERE member_id = $1 AND expires_at < $2`,
        [input.memberId, input.now],
      );
      return rows.length > 0 ? token : undefined;
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === FOREIGN_KEY_VIOLATION
      )
        return undefined;
      throw error;
    }
  }

  async find(purpose: LinkPurpose, token: string, now: Date): Promise<Link | undefined> {
    const rows = await this.db.query<{ member_id: string; event_id: string; address: string | null }[]>(
      `SELECT member_id, event_id, address FROM link_tokens
       WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
      [hashOf(token), purpose, now],
    );
    return rows[0]
      ? { memberId: rows[0].member_id, eventId: rows[0].event_id, address: rows[0].address }
      : undefined;
  }

  /** True if this wrong code spent the link (at `max`), or it was not live. */
  async codeFailed(purpose: LinkPurpose, token: string, now: Date, max: number): Promise<boolean> {
    const [rows] = await this.db.query<[{ spent: boolean }[], number]>(
      `UPDATE link_tokens
          SET code_failures = code_failures + 1,
              used_at = CASE WHEN code_failures + 1 >= $4 THEN $3 ELSE used_at END
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
        RETURNING used_at IS NOT NULL AS spent`,
      [hashOf(token), purpose, now, max],
    );
    return rows[0]?.spent ?? true;
  }

  async spendAll(memberId: string, purpose: LinkPurpose, now: Date, tx: EntityManager): Promise<void> {
    await tx.query(
      `UPDATE link_tokens SET used_at = $3 WHERE member_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [memberId, purpose, now],
    );
  }

  /** Of concurrent uses exactly one gets the link; if the change throws, the link stays unused. */
  async use<T>(
    purpose: LinkPurpose,
    token: string,
    now: Date,
    change: (link: Link, tx: EntityManager) => Promise<T>,
    outer?: EntityManager,
  ): Promise<T | undefined> {
    const work = async (tx: EntityManager) => {
      const [rows] = await tx.query<
        [{ member_id: string; event_id: string; address: string | null }[], number]
      >(
        `UPDATE link_tokens SET used_at = $3
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
         RETURNING member_id, event_id, address`,
        [hashOf(token), purpose, now],
      );
      const row = rows[0];
      return row
        ? change({ memberId: row.member_id, eventId: row.event_id, address: row.address }, tx)
        : undefined;
    };
    return outer ? work(outer) : this.db.transaction(work);
  }
}
