import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, type TwoFactorStatus } from '@twofold/contracts';
import { type Pool, type QueryConfig } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { type Sealed } from '../crypto/secret-box';
import { type IssuedCodes } from '../recovery-codes/recovery-code-issuer';
import { insertCodes } from '../recovery-codes/recovery-codes.repository';
import { type TotpParameters } from '../totp/totp';
import { type CredentialStatus, OtpCredentialEntity } from './otp-credential.entity';

export interface Credential {
  id: string;
  memberId: string;
  accountId: string;
  status: CredentialStatus;
  sealed: Sealed;
  params: TotpParameters;
  lockedAt: Date | null;
  /** Steps the window is moved by since a resync (0: the phone's clock is right). */
  driftBase: number;
}

@Injectable()
export class CredentialsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * 2FA is on with an authenticator app or a passkey; the locked state is the app's (see PasskeyVerifier).
   * `app`: the active authenticator's window base, to which the verifier adds what it learned in Redis.
   */
  async statusOf(
    memberId: string,
    now: Date,
  ): Promise<
    Omit<TwoFactorStatus, 'locked' | 'clockDriftSeconds'> & {
      lockedAt: Date | null;
      app: { credentialId: string; driftBase: number; period: number } | null;
    }
  > {
    const [row] = await this.db.query<
      {
        totp_id: string | null;
        totp_enabled_at: Date | null;
        drift_base: number | null;
        period: number | null;
        locked_at: Date | null;
        pending: boolean;
        first_passkey_at: Date | null;
        passkeys: string;
        remaining: string;
        codes_issued_at: Date | null;
        codes_used_at: Date | null;
        codes_checked_at: Date | null;
      }[]
    >(
      `SELECT c.id AS totp_id, c.enabled_at AS totp_enabled_at, c.drift_base, c.period, c.locked_at,
              EXISTS (SELECT 1 FROM credentials p
                       WHERE p.member_id = $1 AND p.status = 'pending' AND p.expires_at > $2) AS pending,
              (SELECT min(created_at) FROM passkeys WHERE member_id = $1) AS first_passkey_at,
              (SELECT count(*) FROM passkeys WHERE member_id = $1) AS passkeys,
              r.remaining, r.codes_issued_at, r.codes_used_at, r.codes_checked_at
         FROM (SELECT 1) AS one
         LEFT JOIN credentials c ON c.member_id = $1 AND c.status = 'active'
         CROSS JOIN (SELECT count(*) FILTER (WHERE used_at IS NULL) AS remaining,
                            max(created_at) AS codes_issued_at, max(used_at) AS codes_used_at,
                            max(checked_at) AS codes_checked_at
                       FROM recovery_codes WHERE member_id = $1 AND credential_id IS NULL) AS r`,
      [memberId, now],
    );
    const passkeys = Number(row?.passkeys ?? 0);
    const totp = Boolean(row?.totp_enabled_at);
    const enabled = totp || passkeys > 0;
    const enabledAt = [row?.totp_enabled_at, row?.first_passkey_at]
      .filter((at): at is Date => Boolean(at))
      .sort((a, b) => a.getTime() - b.getTime())[0];
    const whenOn = (at: Date | null | undefined): string | null => (enabled && at ? at.toISOString() : null);
    return {
      enabled,
      factors: [...(totp ? (['totp'] as const) : []), ...(passkeys > 0 ? (['webauthn'] as const) : [])],
      passkeys,
      pending: Boolean(row?.pending),
      enabledAt: enabledAt ? enabledAt.toISOString() : null,
      recoveryCodesRemaining: enabled ? Number(row?.remaining ?? 0) : 0,
      recoveryCodesIssuedAt: whenOn(row?.codes_issued_at),
      recoveryCodesLastUsedAt: whenOn(row?.codes_used_at),
      recoveryCodesLastCheckedAt: whenOn(row?.codes_checked_at),
      lockedAt: row?.locked_at ?? null,
      app:
        totp && row?.totp_id
          ? { credentialId: row.totp_id, driftBase: row.drift_base ?? 0, period: row.period ?? 30 }
          : null,
    };
  }

  /** Hot path: a named statement on the pool is planned once per connection, and needs no query runner. */
  async findActive(memberId: string): Promise<Credential | undefined> {
    const { rows } = await ((this.db.driver as PostgresDriver).master as Pool).query<CredentialRow>({
      name: 'otp-find-active-credential',
      text: `SELECT id, member_id AS "memberId", account_id AS "accountId", status,
                    secret_ciphertext AS "secretCiphertext", key_id AS "keyId", algorithm, digits, period,
                    locked_at AS "lockedAt", drift_base AS "driftBase"
               FROM credentials WHERE member_id = $1 AND status = 'active'`,
      values: [memberId],
    } satisfies QueryConfig);
    return rows[0] && toCredential(rows[0]);
  }

  /** The account of a member with 2FA on (an authenticator app or a passkey); undefined: off. */
  async accountOfEnabled(memberId: string, tx: EntityManager = this.db.manager): Promise<string | undefined> {
    const [row] = await tx.query<{ account_id: string }[]>(
      `SELECT account_id FROM credentials WHERE member_id = $1 AND status = 'active'
       UNION ALL SELECT account_id FROM passkeys WHERE member_id = $1 LIMIT 1`,
      [memberId],
    );
    return row?.account_id;
  }

  async activeAmong(memberIds: string[]): Promise<string[]> {
    if (memberIds.length === 0) return [];
    const rows = await this.db.query<{ member_id: string }[]>(
      `SELECT member_id FROM credentials WHERE member_id = ANY($1::uuid[]) AND status = 'active'
       UNION SELECT member_id FROM passkeys WHERE member_id = ANY($1::uuid[])`,
      [memberIds],
    );
    return rows.map((row) => row.member_id);
  }

  async findPending(memberId: string, now: Date): Promise<Credential | undefined> {
    const row = await this.db.getRepository(OtpCredentialEntity).findOneBy({ memberId, status: 'pending' });
    return row && row.expiresAt && row.expiresAt > now ? toCredential(row) : undefined;
  }

  /** Never replaces an active credential (it waits beside it); serialised, so concurrent starts leave one. */
  async replacePending(input: {
    memberId: string;
    accountId: string;
    sealed: Sealed;
    params: TotpParameters;
    expiresAt: Date;
    codes: IssuedCodes;
    replace: boolean;
  }): Promise<void> {
    await this.db.transaction(async (tx) => {
      await lockMember(tx, input.memberId);
      const active = await tx
        .getRepository(OtpCredentialEntity)
        .existsBy({ memberId: input.memberId, status: 'active' });
      if (active && !input.replace)
        throw new DomainError('two_factor_already_enabled', 'Two-factor authentication is already on.');
      if (!active && input.replace)
        throw new DomainError(
          'two_factor_not_enabled',
          'Two-factor authentication is not on: there is no authenticator to replace.',
        );
      await tx.getRepository(OtpCredentialEntity).delete({ memberId: input.memberId, status: 'pending' });
      const credential = await tx.getRepository(OtpCredentialEntity).save(
        tx.getRepository(OtpCredentialEntity).create({
          memberId: input.memberId,
          accountId: input.accountId,
          status: 'pending',
          secretCiphertext: input.sealed.ciphertext,
          keyId: input.sealed.keyId,
          algorithm: input.params.algorithm,
          digits: input.params.digits,
          period: input.params.period,
          expiresAt: input.expiresAt,
          enabledAt: null,
          lockedAt: null,
        }),
      );
      await insertCodes(tx, { memberId: input.memberId, credentialId: credential.id }, input.codes);
    });
  }

  /** One transaction with the removal of the credential it replaces: never neither, nor both. */
  async activate(
    credentialId: string,
    memberId: string,
    now: Date,
    report: (tx: EntityManager, replaced: string | undefined) => Promise<void>,
  ): Promise<{ activated: boolean; replaced?: string }> {
    return this.db.transaction(async (tx) => {
      await lockMember(tx, memberId);
      const [pending] = await tx.query<{ id: string }[]>(
        `SELECT id FROM credentials WHERE id = $1 AND member_id = $2 AND status = 'pending'`,
        [credentialId, memberId],
      );
      if (!pending) return { activated: false };
      const [removed] = await tx.query<[{ id: string }[], number]>(
        `DELETE FROM credentials WHERE member_id = $1 AND status = 'active' RETURNING id`,
        [memberId],
      );
      await tx.query(
        `UPDATE credentials SET status = 'active', enabled_at = $2, expires_at = NULL WHERE id = $1`,
        [credentialId, now],
      );
      await tx.query(`DELETE FROM recovery_codes WHERE member_id = $1 AND credential_id IS NULL`, [memberId]);
      await tx.query(`UPDATE recovery_codes SET credential_id = NULL WHERE credential_id = $1`, [
        credentialId,
      ]);
      await report(tx, removed[0]?.id);
      return { activated: true, ...(removed[0] ? { replaced: removed[0].id } : {}) };
    });
  }

  /** Also deletes the pending enrolment; `tx` must hold the member's lock. */
  async deleteEnabledWithin(
    memberId: string,
    since: Date,
    until: Date,
    tx: EntityManager,
  ): Promise<string[]> {
    const [rows] = await tx.query<[{ id: string }[], number]>(
      `DELETE FROM credentials
        WHERE member_id = $1 AND (status = 'pending' OR enabled_at BETWEEN $2 AND $3)
        RETURNING id`,
      [memberId, since, until],
    );
    return rows.map((row) => row.id);
  }

  /** Holds the member's lock for the rest of `tx`: its credential changes are one at a time. */
  lockMember(memberId: string, tx: EntityManager): Promise<void> {
    return lockMember(tx, memberId);
  }

  /** Runs `work` in one transaction: a credential's change and the event reporting it commit together. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async lock(credentialId: string, now: Date, tx: EntityManager = this.db.manager): Promise<void> {
    await tx.query('UPDATE credentials SET locked_at = $2 WHERE id = $1 AND locked_at IS NULL', [
      credentialId,
      now,
    ]);
  }

  async setDriftBase(
    credentialId: string,
    steps: number,
    tx: EntityManager = this.db.manager,
  ): Promise<void> {
    await tx.query('UPDATE credentials SET drift_base = $2 WHERE id = $1', [credentialId, steps]);
  }

  /** False for a step at or below one recorded before: a replay a Redis failover let through. */
  async recordDurableStep(credentialId: string, step: number): Promise<boolean> {
    const [, updated] = await this.db.query<[unknown, number]>(
      `UPDATE credentials SET last_durable_step = $2
         WHERE id = $1 AND (last_durable_step IS NULL OR last_durable_step < $2)`,
      [credentialId, step],
    );
    return updated === 1;
  }

  async unlock(credentialId: string): Promise<void> {
    await this.db.query('UPDATE credentials SET locked_at = NULL WHERE id = $1', [credentialId]);
  }

  /** Every second factor of the member and its recovery codes: 2FA is off. */
  async deleteAll(memberId: string, tx: EntityManager = this.db.manager): Promise<string[]> {
    const rows = await tx.query<[{ id: string }[], number]>(
      'DELETE FROM credentials WHERE member_id = $1 RETURNING id',
      [memberId],
    );
    await tx.query('DELETE FROM passkeys WHERE member_id = $1', [memberId]);
    await tx.query('DELETE FROM recovery_codes WHERE member_id = $1', [memberId]);
    return rows[0].map((r) => r.id);
  }

  /** Recovery codes stand in for a second factor: with none left (`tx` holding the lock), they go too. */
  async dropCodesIfNoFactor(memberId: string, tx: EntityManager): Promise<void> {
    await tx.query(
      `DELETE FROM recovery_codes WHERE member_id = $1 AND credential_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM credentials WHERE member_id = $1 AND status = 'active')
          AND NOT EXISTS (SELECT 1 FROM passkeys WHERE member_id = $1)`,
      [memberId],
    );
  }

  async sealedUnderOtherKeys(keyId: string, limit: number): Promise<Credential[]> {
    const rows = await this.db
      .getRepository(OtpCredentialEntity)
      .createQueryBuilder('c')
      .where('c.key_id <> :keyId', { keyId })
      .orderBy('c.id')
      .limit(limit)
      .getMany();
    return rows.map(toCredential);
  }

  /** Replaces a sealed secret, only if it is still the one that was read (no lost update). */
  async reseal(credentialId: string, from: Sealed, to: Sealed): Promise<boolean> {
    const result = await this.db.query<[unknown[], number]>(
      'UPDATE credentials SET secret_ciphertext = $2, key_id = $3 WHERE id = $1 AND key_id = $4 AND secret_ciphertext = $5',
      [credentialId, to.ciphertext, to.keyId, from.keyId, from.ciphertext],
    );
    return result[1] === 1;
  }
}

async function lockMember(tx: EntityManager, memberId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`otp-member:${memberId}`]);
}

/** What a credential is made from: its entity, a raw row named alike, or the copy kept in Redis. */
export type CredentialRow = Pick<
  OtpCredentialEntity,
  | 'id'
  | 'memberId'
  | 'accountId'
  | 'status'
  | 'secretCiphertext'
  | 'keyId'
  | 'algorithm'
  | 'digits'
  | 'period'
  | 'lockedAt'
  | 'driftBase'
>;

export function toCredential(row: CredentialRow): Credential {
  return {
    id: row.id,
    memberId: row.memberId,
    accountId: row.accountId,
    status: row.status,
    sealed: { keyId: row.keyId, ciphertext: row.secretCiphertext },
    params: {
      algorithm: row.algorithm as TotpParameters['algorithm'],
      digits: row.digits as 6 | 8,
      period: row.period,
    },
    lockedAt: row.lockedAt,
    driftBase: row.driftBase,
  };
}
