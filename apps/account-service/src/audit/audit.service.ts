import { Injectable } from '@nestjs/common';
import { type AuditEventView, type AuditQuery, DomainError } from '@twofold/contracts';
import { AccountsRepository } from '../accounts/accounts.repository';
import { type AuditEventEntity } from './audit-event.entity';
import { AuditRepository } from './audit.repository';

/** The audit log as admins read it: newest first, with an opaque cursor to the next page. */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly accounts: AccountsRepository,
  ) {}

  async list(
    actor: { memberId: string; accountId: string },
    query: AuditQuery,
  ): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
    if (!(await this.accounts.findManager(actor))) {
      throw new DomainError('forbidden', 'Only an owner or an admin can read the audit log.');
    }
    const rows = await this.audit.page(
      actor.accountId,
      query.limit + 1,
      query.cursor ? decodeCursor(query.cursor) : undefined,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      events: page.map(toView),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }
}

function toView(row: AuditEventEntity): AuditEventView {
  return {
    id: row.id,
    type: row.type,
    actorId: row.actorId,
    subjectId: row.subjectId,
    occurredAt: row.occurredAt.toISOString(),
    ip: row.ip,
    userAgent: row.userAgent,
    details: row.details,
  };
}

const encodeCursor = (row: AuditEventEntity): string =>
  Buffer.from(`${row.occurredAt.toISOString()}|${row.id}`).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function decodeCursor(cursor: string): { occurredAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const occurredAt = new Date(at ?? '');
  if (!id || Number.isNaN(occurredAt.getTime()) || !UUID.test(id)) {
    throw new DomainError('validation_failed', 'Invalid request: cursor is not a cursor this API gave.', {
      details: [{ path: 'cursor', message: 'is not a cursor this API gave' }],
    });
  }
  return { occurredAt, id };
}
