import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type TwoFactorStatus } from '@twofold/contracts';
import { DataSource } from 'typeorm';

@Injectable()
export class CredentialsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One query: the member's credentials and the count of unused recovery codes of the active one. */
  async statusOf(memberId: string, now: Date): Promise<TwoFactorStatus> {
    const rows = await this.db.query<{ status: string; enabled_at: Date | null; remaining: string }[]>(
      `SELECT c.status, c.enabled_at,
              (SELECT count(*) FROM recovery_codes r WHERE r.credential_id = c.id AND r.used_at IS NULL) AS remaining
         FROM credentials c
        WHERE c.member_id = $1 AND (c.status = 'active' OR c.expires_at > $2)`,
      [memberId, now],
    );
    const active = rows.find((r) => r.status === 'active');
    return {
      enabled: active !== undefined,
      pending: rows.some((r) => r.status === 'pending'),
      enabledAt: active?.enabled_at ? active.enabled_at.toISOString() : null,
      recoveryCodesRemaining: active ? Number(active.remaining) : 0,
    };
  }
}
