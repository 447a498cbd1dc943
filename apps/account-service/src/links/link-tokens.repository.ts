import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';

/** What an e-mailed link is for: a new password, "this wasn't me", or realigning an authenticator. */
export type LinkPurpose =
  'password_reset' | 'not_me' | 'two_factor_resync' | 'email_verification' | 'invitation';

/** A live link: whose it is, the security event whose e-mail carried it, and the address it went to. */
export interface Link {
  memberId: string;
  eventId: string;
  /** For an e-mail verification link: the address it proves. */
  address: string | null;
}

const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * The tokens of e-mailed links: 256 random bits each, shown only in the e-mail, stored only as
 * a SHA-256 (a token is a random key, not a password: no salt or slow hash is needed to keep a
 * stolen table useless). Each is single-use — taken by one conditional UPDATE — and expires.
 */
@Injectable()
export class LinkTokensRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * A new link for the e-mail of `eventId`. A re-sent e-mail (a retried job) gets a new token that
   * replaces the one before, so one e-mail has one live link; undefined if that link was already
   * used or the member is gone. The member's expired links are cleared on the way.
   */
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

  /** The live link of a token (unused, unexpired, for this purpose), without using it. */
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

  /**
   * Counts a wrong code presented with a live link; at `max` of them the link is spent. True if
   * this one spent it (or it was not live).
   */
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

  /** Spends every live link of a member for this purpose (in the caller's transaction). */
  async spendAll(memberId: string, purpose: LinkPurpose, now: Date, tx: EntityManager): Promise<void> {
    await tx.query(
      `UPDATE link_tokens SET used_at = $3 WHERE member_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [memberId, purpose, now],
    );
  }

  /**
   * Uses a link and makes its change in one transaction (the caller's, if given): of concurrent uses, exactly one gets
   * the link; if the change throws, the link stays unused. Undefined if the link is not live.
   */
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
