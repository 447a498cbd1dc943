import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type SecurityEvent } from '@twofold/contracts';
import { MetricsService } from '@twofold/platform';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';

@Injectable()
export class AuditRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  /** Records an event once; returns false when it was already recorded (a retried job). */
  async recordOnce(event: SecurityEvent): Promise<boolean> {
    return (await this.recordAll([event])) > 0;
  }

  /**
   * One statement for a batch, the ones already recorded skipped. The batch goes as one JSON
   * parameter: TypeORM's builder spent five times the CPU on a 500-row batch.
   */
  async recordAll(events: readonly SecurityEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const recorded: { type: string }[] = await this.db.query(
      `INSERT INTO audit_events
         (id, account_id, type, actor_id, subject_id, occurred_at, ip, user_agent, request_id, details)
       SELECT e."eventId", e."accountId", e.type, e."actorId", e."subjectId", e."occurredAt",
              e.ip, e."userAgent", e."requestId", e.details
       FROM jsonb_to_recordset($1::jsonb) AS e("eventId" uuid, "accountId" uuid, type text,
         "actorId" uuid, "subjectId" uuid, "occurredAt" timestamptz, ip text, "userAgent" text,
         "requestId" text, details jsonb)
       ON CONFLICT (id) DO NOTHING
       RETURNING type`,
      [JSON.stringify(events)],
    );
    for (const { type } of recorded) this.metrics.securityEvents.inc({ type });
    return recorded.length;
  }

  /** Whether the event's e-mail already went out (a retry or a duplicate must not send it again). */
  async wasNotified(eventId: string): Promise<boolean> {
    const row = await this.db
      .getRepository(AuditEventEntity)
      .findOne({ where: { id: eventId }, select: { notifiedAt: true, id: true } });
    return row?.notifiedAt instanceof Date;
  }

  async markNotified(eventId: string, at: Date): Promise<void> {
    await this.db.getRepository(AuditEventEntity).update({ id: eventId }, { notifiedAt: at });
  }

  /** A recorded event's type, when it happened, and its details. */
  async find(
    eventId: string,
  ): Promise<{ type: string; occurredAt: Date; details: AuditEventEntity['details'] } | undefined> {
    const row = await this.db
      .getRepository(AuditEventEntity)
      .findOne({ where: { id: eventId }, select: { id: true, type: true, occurredAt: true, details: true } });
    return row ? { type: row.type, occurredAt: row.occurredAt, details: row.details } : undefined;
  }

  /** A page of the account's events, newest first, strictly before (occurredAt, id) when given. */
  async page(
    accountId: string,
    limit: number,
    before?: { occurredAt: Date; id: string },
  ): Promise<AuditEventEntity[]> {
    const query = this.db
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .where('e.account_id = :accountId', { accountId })
      .orderBy('e.occurred_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit);
    if (before)
      query.andWhere('(e.occurred_at, e.id) < (:at, :id)', { at: before.occurredAt, id: before.id });
    return query.getMany();
  }

  async listForAccount(accountId: string, limit: number): Promise<AuditEventEntity[]> {
    return this.page(accountId, limit);
  }
}
