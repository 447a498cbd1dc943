import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import {
  DomainError,
  type FailedJob,
  type MemberWithAccount,
  type OperatorMember,
  SECURITY_EVENTS_QUEUE,
} from '@twofold/contracts';
import { type RequestMeta, SecurityEventPublisher } from '@twofold/platform';
import { type Job, type Queue } from 'bullmq';
import { AccountsRepository } from '../accounts/accounts.repository';
import { attemptSubject } from '../accounts/accounts.service';
import { MemberChanges } from '../accounts/member-changes';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { SECURITY_EVENTS_WEBHOOK_QUEUE } from '../notifications/webhook/security-events-webhook';

@Injectable()
export class OperatorService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly passwords: PasswordHasher,
    private readonly attempts: PasswordAttempts,
    private readonly changes: MemberChanges,
    private readonly events: SecurityEventPublisher,
    @InjectQueue(SECURITY_EVENTS_QUEUE) private readonly queue: Queue,
    @InjectQueue(SECURITY_EVENTS_WEBHOOK_QUEUE) private readonly webhook: Queue,
  ) {}

  private async failed(): Promise<{ queue: string; job: Job }[]> {
    const [events, deliveries] = await Promise.all([
      this.queue.getJobs(['failed']),
      this.webhook.getJobs(['failed']),
    ]);
    return [
      ...events.map((job) => ({ queue: SECURITY_EVENTS_QUEUE, job })),
      ...deliveries.map((job) => ({ queue: SECURITY_EVENTS_WEBHOOK_QUEUE, job })),
    ];
  }

  /** A service user has no mailbox: its address is in the reserved .invalid domain (RFC 2606). */
  async createServiceUser(request: { login: string; password: string }): Promise<MemberWithAccount> {
    return this.accounts.addServiceUser({
      login: request.login,
      email: `${request.login.toLowerCase()}@service.invalid`,
      passwordHash: await this.passwords.hash(request.password),
    });
  }

  async deleteServiceUser(login: string): Promise<{ deleted: true }> {
    const found = await this.accounts.findByLogin(login);
    if (found?.kind !== 'service') throw new DomainError('not_found', `No service user "${login}".`);
    await this.changes.change([found.view.user.id], (tx) =>
      this.accounts.deleteMember(found.view.user.id, tx),
    );
    return { deleted: true };
  }

  async findMember(login: string): Promise<OperatorMember> {
    const found = await this.find(login);
    return {
      member: found.view,
      kind: found.kind,
      signInLocked: await this.attempts.isLocked(attemptSubject(found.view.user.login)),
    };
  }

  async unlockSignIn(login: string, meta: RequestMeta | null): Promise<{ unlocked: boolean }> {
    const { view } = await this.find(login);
    const unlocked = await this.attempts.clear(attemptSubject(view.user.login));
    if (unlocked) {
      await this.events.emit(
        {
          type: 'sign_in.unlocked',
          accountId: view.account.id,
          actorId: null,
          subjectId: view.user.id,
          details: { byOperator: true },
        },
        meta,
      );
    }
    return { unlocked };
  }

  async listFailedJobs(): Promise<{ jobs: FailedJob[] }> {
    return {
      jobs: (await this.failed()).map(({ queue, job }) => {
        const data = job.data as { type?: unknown; accountId?: unknown; subjectId?: unknown };
        return {
          id: String(job.id),
          queue,
          type: typeof data.type === 'string' ? data.type : 'unknown',
          accountId: typeof data.accountId === 'string' ? data.accountId : null,
          subjectId: typeof data.subjectId === 'string' ? data.subjectId : null,
          failedReason: job.failedReason ?? '',
          attempts: job.attemptsMade,
          failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        };
      }),
    };
  }

  /** Jobs are idempotent by event id: running one again never writes a second audit entry or e-mail. */
  async retryFailedJobs(ids?: string[]): Promise<{ retried: number }> {
    const failed = (await this.failed()).map(({ job }) => job);
    const chosen = ids ? failed.filter((job) => ids.includes(String(job.id))) : failed;
    for (const job of chosen) await job.retry('failed');
    return { retried: chosen.length };
  }

  private async find(login: string) {
    const found = await this.accounts.findByLogin(login);
    if (!found) throw new DomainError('not_found', `No member or service user "${login}".`);
    return found;
  }
}
